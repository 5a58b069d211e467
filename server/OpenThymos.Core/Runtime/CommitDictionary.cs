// The commit and revert entries of the folded state, by seq, optionally read back from the ledger when asked for.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Commit and revert entries by seq. With a <see cref="LedgerLookup"/> it keeps only their seqs and
/// reads an entry from the ledger when asked for it, so a long ledger's commits are not all in memory.
/// </summary>
public sealed class CommitDictionary : IReadOnlyDictionary<long, LedgerEntry>
{
    private readonly LedgerLookup? _lookup;
    private readonly Dictionary<long, LedgerEntry?> _entries = [];

    internal CommitDictionary(LedgerLookup? lookup) => _lookup = lookup;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public IEnumerable<long> Keys => _entries.Keys;

    /// <inheritdoc />
    public IEnumerable<LedgerEntry> Values => _entries.Keys.Select(seq => this[seq]);

    /// <inheritdoc />
    public LedgerEntry this[long key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"Entry {key} is not a commit or revert.");

    /// <inheritdoc />
    public bool ContainsKey(long key) => _entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(long key, [MaybeNullWhen(false)] out LedgerEntry value)
    {
        if (!_entries.TryGetValue(key, out value))
        {
            return false;
        }

        value ??= _lookup!.Read(key) ?? throw new InvalidDataException($"Commit entry {key} was folded from the ledger but cannot be read back from it.");
        return true;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<long, LedgerEntry>> GetEnumerator() =>
        _entries.Keys.Select(seq => new KeyValuePair<long, LedgerEntry>(seq, this[seq])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(LedgerEntry entry) => _entries[entry.Seq] = _lookup is null ? entry : null;
}
