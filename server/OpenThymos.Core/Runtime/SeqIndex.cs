// A compact map from a text key to a seq: a 64-bit digest of the key, with exact keys only where digests collide.
namespace OpenThymos.Core.Runtime;

/// <summary>
/// Maps text keys (proposal ids, writ + nonce pairs) to seq ranges without keeping the key strings,
/// which for a million-entry ledger would cost more memory than everything else the runtime keeps.
/// A key is found by a 64-bit digest; the caller confirms the match by reading the entry back (see
/// <c>isKeyOf</c>), and a key whose digest collides with another key's is kept exactly, so a
/// collision can never make one key answer for another.
/// </summary>
internal sealed class SeqIndex
{
    private readonly Dictionary<ulong, (long First, long Last)> _byDigest = [];
    private readonly Dictionary<string, (long First, long Last)> _exact = new(StringComparer.Ordinal);

    /// <summary>The number of keys.</summary>
    public int Count => _byDigest.Count + _exact.Count;

    /// <summary>Records a key's range; <paramref name="isKeyOf"/> tells whether the range already stored under the same digest belongs to this key.</summary>
    public void Set(string key, long first, long last, Func<(long First, long Last), bool> isKeyOf)
    {
        var digest = Digest(key);
        if (_exact.ContainsKey(key) || (_byDigest.TryGetValue(digest, out var existing) && !isKeyOf(existing)))
        {
            _exact[key] = (first, last);
            return;
        }

        _byDigest[digest] = (first, last);
    }

    /// <summary>The range recorded for a key, or null; <paramref name="isKeyOf"/> confirms a digest match.</summary>
    public (long First, long Last)? Get(string key, Func<(long First, long Last), bool> isKeyOf)
    {
        if (_exact.TryGetValue(key, out var exact))
        {
            return exact;
        }

        return _byDigest.TryGetValue(Digest(key), out var range) && isKeyOf(range) ? range : null;
    }

    /// <summary>Forgets a key (its digest entry only when it is this key's).</summary>
    public void Remove(string key, Func<(long First, long Last), bool> isKeyOf)
    {
        if (_exact.Remove(key))
        {
            return;
        }

        var digest = Digest(key);
        if (_byDigest.TryGetValue(digest, out var range) && isKeyOf(range))
        {
            _byDigest.Remove(digest);
        }
    }

    /// <summary>FNV-1a, 64-bit, over the UTF-16 code units: spreads keys well; collisions are handled above, not assumed away.</summary>
    private static ulong Digest(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var unit in key)
        {
            hash = (hash ^ unit) * 1099511628211UL;
        }

        return hash;
    }
}
