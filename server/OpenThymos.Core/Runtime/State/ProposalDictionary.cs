// The proposals of the folded state: the live ones in memory, decided ones read back from the ledger when asked for.
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Looks like a dictionary of every proposal: a lookup by id finds a proposal whether it is kept in
/// memory (pending, in flight, or among the most recently decided) or was decided long ago and is
/// rebuilt from its ledger entries. Enumerating lists only the ones in memory, which is what
/// listings need (pending first of all) without holding a million-entry ledger's proposals.
/// </summary>
public sealed class ProposalDictionary : IReadOnlyDictionary<string, ProposalState>
{
    private readonly Func<string, ProposalState?> _loadDecided;

    internal ProposalDictionary(Func<string, ProposalState?> loadDecided) => _loadDecided = loadDecided;

    /// <summary>The proposals kept in memory, by id.</summary>
    internal Dictionary<string, ProposalState> Live { get; } = new(StringComparer.Ordinal);

    /// <summary>The number of proposals kept in memory.</summary>
    public int Count => Live.Count;

    /// <summary>The ids of the proposals kept in memory.</summary>
    public IEnumerable<string> Keys => Live.Keys;

    /// <summary>The proposals kept in memory.</summary>
    public IEnumerable<ProposalState> Values => Live.Values;

    /// <summary>A proposal by id (rebuilt from the ledger when it is no longer kept in memory).</summary>
    public ProposalState this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"There is no proposal '{key}'.");

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ProposalState value)
    {
        if (Live.TryGetValue(key, out value))
        {
            return true;
        }

        value = _loadDecided(key);
        return value is not null;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, ProposalState>> GetEnumerator() => Live.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
