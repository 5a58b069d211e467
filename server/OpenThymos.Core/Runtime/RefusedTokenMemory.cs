// Which writ tokens this runtime has already refused, so a client retrying the same token is not ledgered again.
using System.Text;
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Digests of writ tokens refused at session open. An agent configured with an expired or revoked writ may retry it
/// in a loop; the first refusal of each token is ledgered and later ones are only answered, so such a loop cannot
/// grow the ledger. Bounded: past <see cref="Capacity"/> digests it starts afresh (the worst case is one more
/// ledgered refusal of a token seen before). Not thread-safe: the runtime uses it under its lock.
/// </summary>
internal sealed class RefusedTokenMemory
{
    /// <summary>Digests kept before the memory starts afresh (32 bytes each).</summary>
    public const int Capacity = 4096;

    private readonly HashSet<ContentHash> _seen = [];

    /// <summary>True the first time <paramref name="token"/> is refused (and remembers it); false for a repeat.</summary>
    public bool IsFirstRefusal(string token)
    {
        if (_seen.Count >= Capacity)
        {
            _seen.Clear();
        }
        return _seen.Add(ContentHash.Of(Encoding.UTF8.GetBytes(token)));
    }
}
