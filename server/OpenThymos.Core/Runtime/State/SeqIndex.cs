// A compact map from a text key to a seq range: a 64-bit digest of the key, with exact keys only where digests collide.
namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Maps text keys (proposal ids, writ + nonce pairs) to seq ranges without keeping the key strings,
/// which for a million-entry ledger would cost more memory than everything else the runtime keeps.
/// A key is found by a 64-bit digest; the caller confirms the match by reading the entry back (see
/// <c>isKeyOf</c>), and a key whose digest collides with another key's is kept exactly, so a
/// collision can never make one key answer for another.
/// <para>
/// It is a chained hash table of its own rather than a <see cref="Dictionary{TKey, TValue}"/>: a slot is
/// 24 bytes (digest, first seq, span) in chunks of 2,048 that stay below the large-object threshold and
/// are never copied, and only the 4-byte bucket array is rebuilt as it grows. A dictionary of 333k
/// ranges kept a 10.7 MB entry array on the large-object heap and discarded one of half that size at
/// every doubling, which the fold at open paid for in peak memory (docs/benchmarks.md, "Peak memory").
/// </para>
/// </summary>
internal sealed class SeqIndex
{
    /// <summary>Slots per chunk: 2,048 × 24 bytes = 48 KiB, below the 85,000-byte large-object threshold.</summary>
    internal const int ChunkLength = 2048;

    private readonly Func<string, ulong> _digest;
    private readonly List<Slot[]> _chunks = [];
    private readonly Dictionary<string, (long First, long Last)> _exact = new(StringComparer.Ordinal);

    // Bucket and chain links hold a slot index plus one, so that 0 means "none" in a fresh array.
    private int[] _buckets = new int[16];
    private int _slotsUsed;
    private int _freeList;
    private int _hashed;

    /// <summary>An index over FNV-1a digests; tests pass a weaker <paramref name="digest"/> to force collisions and long chains.</summary>
    internal SeqIndex(Func<string, ulong>? digest = null) => _digest = digest ?? Fnv1a;

    /// <summary>The number of keys.</summary>
    public int Count => _hashed + _exact.Count;

    /// <summary>Records a key's range; <paramref name="isKeyOf"/> tells whether the range already stored under the same digest belongs to this key.</summary>
    public void Set(string key, long first, long last, Func<(long First, long Last), bool> isKeyOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        var digest = _digest(key);
        if (_exact.ContainsKey(key))
        {
            _exact[key] = (first, last);
            return;
        }

        var found = Find(digest);
        if (found != 0 && !isKeyOf(RangeOf(found)))
        {
            _exact[key] = (first, last); // another key has this digest: keep this one by its text
            return;
        }

        if (last - first > int.MaxValue)
        {
            // A span no slot can hold (two billion entries between a proposal's first and last): keep it exactly.
            if (found != 0)
            {
                Unlink(digest, found);
            }

            _exact[key] = (first, last);
            return;
        }

        if (found == 0)
        {
            found = Insert(digest);
        }

        ref var slot = ref SlotAt(found);
        slot.First = first;
        slot.Span = (int)(last - first);
    }

    /// <summary>The range recorded for a key, or null; <paramref name="isKeyOf"/> confirms a digest match.</summary>
    public (long First, long Last)? Get(string key, Func<(long First, long Last), bool> isKeyOf)
    {
        if (_exact.TryGetValue(key, out var exact))
        {
            return exact;
        }

        var found = Find(_digest(key));
        if (found == 0)
        {
            return null;
        }

        var range = RangeOf(found);
        return isKeyOf(range) ? range : null;
    }

    /// <summary>Forgets a key (its digest slot only when it is this key's).</summary>
    public void Remove(string key, Func<(long First, long Last), bool> isKeyOf)
    {
        if (_exact.Remove(key))
        {
            return;
        }

        var digest = _digest(key);
        var found = Find(digest);
        if (found != 0 && isKeyOf(RangeOf(found)))
        {
            Unlink(digest, found);
        }
    }

    /// <summary>FNV-1a, 64-bit, over the UTF-16 code units: spreads keys well; collisions are handled above, not assumed away.</summary>
    private static ulong Fnv1a(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var unit in key)
        {
            hash = (hash ^ unit) * 1099511628211UL;
        }

        return hash;
    }

    private int BucketOf(ulong digest) => (int)((digest ^ (digest >> 32)) & (uint)(_buckets.Length - 1));

    private ref Slot SlotAt(int link) => ref _chunks[(link - 1) / ChunkLength][(link - 1) % ChunkLength];

    private (long First, long Last) RangeOf(int link)
    {
        ref var slot = ref SlotAt(link);
        return (slot.First, slot.First + slot.Span);
    }

    /// <summary>The link of the slot holding <paramref name="digest"/>, or 0.</summary>
    private int Find(ulong digest)
    {
        for (var link = _buckets[BucketOf(digest)]; link != 0; link = SlotAt(link).Next)
        {
            if (SlotAt(link).Digest == digest)
            {
                return link;
            }
        }

        return 0;
    }

    /// <summary>Takes a free slot (or a new one) for <paramref name="digest"/> and chains it into its bucket.</summary>
    private int Insert(ulong digest)
    {
        if (_hashed >= _buckets.Length)
        {
            Rehash(_buckets.Length * 2);
        }

        int link;
        if (_freeList != 0)
        {
            link = _freeList;
            _freeList = SlotAt(link).Next;
        }
        else
        {
            if (_slotsUsed % ChunkLength == 0)
            {
                _chunks.Add(new Slot[ChunkLength]);
            }

            link = ++_slotsUsed;
        }

        var bucket = BucketOf(digest);
        SlotAt(link) = new Slot { Digest = digest, Next = _buckets[bucket] };
        _buckets[bucket] = link;
        _hashed++;
        return link;
    }

    /// <summary>Takes a slot out of its bucket's chain and onto the free list.</summary>
    private void Unlink(ulong digest, int link)
    {
        var bucket = BucketOf(digest);
        if (_buckets[bucket] == link)
        {
            _buckets[bucket] = SlotAt(link).Next;
        }
        else
        {
            var previous = _buckets[bucket];
            while (SlotAt(previous).Next != link)
            {
                previous = SlotAt(previous).Next;
            }

            SlotAt(previous).Next = SlotAt(link).Next;
        }

        SlotAt(link) = new Slot { Span = Slot.Free, Next = _freeList };
        _freeList = link;
        _hashed--;
    }

    /// <summary>Rebuilds the bucket array at a new size (a power of two) and re-chains every slot in use.</summary>
    private void Rehash(int bucketCount)
    {
        _buckets = new int[bucketCount];
        for (var link = 1; link <= _slotsUsed; link++)
        {
            ref var slot = ref SlotAt(link);
            if (slot.Span == Slot.Free)
            {
                continue;
            }

            var bucket = BucketOf(slot.Digest);
            slot.Next = _buckets[bucket];
            _buckets[bucket] = link;
        }
    }

    /// <summary>One key's range: <c>First</c> to <c>First + Span</c>; a free slot has <see cref="Free"/> as its span and links the free list.</summary>
    private struct Slot
    {
        public const int Free = -1;

        public ulong Digest;
        public long First;
        public int Span;
        public int Next;
    }
}
