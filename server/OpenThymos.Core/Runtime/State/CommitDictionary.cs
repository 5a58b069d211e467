// The commit and revert entries of the folded state, by seq, optionally read back from the ledger when asked for.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Commit and revert entries by seq. With a <see cref="LedgerLookup"/> it keeps only their seqs (8 bytes each, in
/// an <see cref="AscendingSeqList"/>) and reads an entry from the ledger when asked for it, so a long
/// ledger's commits are not all in memory.
/// </summary>
public sealed class CommitDictionary : IReadOnlyDictionary<long, LedgerEntry>
{
    private readonly LedgerLookup? _lookup;
    private readonly AscendingSeqList _seqs = new();
    private readonly Dictionary<long, LedgerEntry>? _entries;

    internal CommitDictionary(LedgerLookup? lookup)
    {
        _lookup = lookup;
        _entries = lookup is null ? [] : null;
    }

    /// <inheritdoc />
    public int Count => _seqs.Count;

    /// <inheritdoc />
    public IEnumerable<long> Keys => _seqs;

    /// <inheritdoc />
    public IEnumerable<LedgerEntry> Values => _seqs.Select(seq => this[seq]);

    /// <inheritdoc />
    public LedgerEntry this[long key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"Entry {key} is not a commit or revert.");

    /// <inheritdoc />
    public bool ContainsKey(long key) => _seqs.Contains(key);

    /// <inheritdoc />
    public bool TryGetValue(long key, [MaybeNullWhen(false)] out LedgerEntry value)
    {
        if (_entries is not null)
        {
            return _entries.TryGetValue(key, out value);
        }

        if (!_seqs.Contains(key))
        {
            value = null;
            return false;
        }

        value = _lookup!.Read(key) ?? throw new InvalidDataException($"Commit entry {key} was folded from the ledger but cannot be read back from it.");
        return true;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<long, LedgerEntry>> GetEnumerator() =>
        _seqs.Select(seq => new KeyValuePair<long, LedgerEntry>(seq, this[seq])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a commit or revert entry; entries come in seq order.</summary>
    internal void Add(LedgerEntry entry)
    {
        _seqs.Append(entry.Seq);
        _entries?.TryAdd(entry.Seq, entry);
    }
}
