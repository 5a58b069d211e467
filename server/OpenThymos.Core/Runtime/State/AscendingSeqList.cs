// An append-only list of ascending seqs in fixed-size chunks: no copying as it grows, binary search to find a seq.
using System.Collections;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Seqs in ascending order, appended one by one as the fold meets them. It stores them in chunks of
/// <see cref="ChunkLength"/> (64 KiB, below the large-object threshold), so a list that grows to hundreds
/// of thousands of seqs never copies itself and never leaves a discarded array on the large-object
/// heap; a million-entry ledger's commits cost 8 bytes each instead of a dictionary's 24 to 48 and the
/// dead arrays of every resize (docs/benchmarks.md, "Peak memory").
/// </summary>
internal sealed class AscendingSeqList : IReadOnlyList<long>
{
    /// <summary>Seqs per chunk: 8,192 × 8 bytes = 64 KiB.</summary>
    internal const int ChunkLength = 8192;

    private const int FirstChunkLength = 4;

    private readonly List<long[]> _chunks = [];

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <summary>The last seq appended, or null when empty.</summary>
    public long? Last => Count == 0 ? null : this[Count - 1];

    /// <inheritdoc />
    public long this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _chunks[index / ChunkLength][index % ChunkLength];
        }
    }

    /// <summary>
    /// Appends a seq greater than the last one; appending the last one again does nothing (an entry folded
    /// twice stays once). A smaller seq is a fold out of order, which would break every search, so it throws.
    /// </summary>
    public void Append(long seq)
    {
        if (Last is { } last)
        {
            if (seq == last)
            {
                return;
            }

            if (seq < last)
            {
                throw new InvalidOperationException($"Seq {seq} was folded after seq {last}; entries must be folded in seq order.");
            }
        }

        var offset = Count % ChunkLength;
        if (offset == 0)
        {
            // The first chunk starts small and doubles (a path committed once costs 32 bytes, not 64 KiB);
            // every later chunk is full-sized and never copied.
            _chunks.Add(new long[_chunks.Count == 0 ? FirstChunkLength : ChunkLength]);
        }
        else if (offset == _chunks[^1].Length)
        {
            var grown = new long[Math.Min(ChunkLength, offset * 2)];
            _chunks[^1].CopyTo(grown, 0);
            _chunks[^1] = grown;
        }

        _chunks[^1][offset] = seq;
        Count++;
    }

    /// <summary>Whether the seq is in the list.</summary>
    public bool Contains(long seq)
    {
        var index = FirstIndex(seq, strictlyAfter: false);
        return index < Count && this[index] == seq;
    }

    /// <summary>The seqs greater than <paramref name="afterSeq"/>, ascending.</summary>
    public IEnumerable<long> After(long afterSeq)
    {
        for (var index = FirstIndex(afterSeq, strictlyAfter: true); index < Count; index++)
        {
            yield return this[index];
        }
    }

    /// <inheritdoc />
    public IEnumerator<long> GetEnumerator()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The index of the first seq at or after (or strictly after) <paramref name="seq"/>; Count when there is none.</summary>
    private int FirstIndex(long seq, bool strictlyAfter)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (this[middle] < seq || (strictlyAfter && this[middle] == seq))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
