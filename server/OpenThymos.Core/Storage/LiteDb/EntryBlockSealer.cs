// The background work that moves complete runs of single-document entries into sealed entry blocks.
using LiteDB;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Seals the writer's tail: once a whole aligned run of <see cref="EntryBlock.Size"/> entries waits as single documents
/// in <c>entries</c>, a background transaction moves it into one block (same fields and bytes, so no hash changes) and
/// deletes the single documents. It only repacks entries that are already durable, so when it cannot (an entry that
/// does not pack without changing a byte, a run too large for one document, any failure) it stops and the entries stay
/// single documents, which every reader reads. Its state is guarded by the store's gate.
/// </summary>
internal sealed class EntryBlockSealer
{
    /// <summary>The largest block written: well under LiteDB's document limit (about 16 MB), with room for the document's other fields.</summary>
    private const int MaxBlockBytes = 15 * 1024 * 1024;

    /// <summary>Blocks sealed per background transaction, so a migration does not hold the ledger for long.</summary>
    private const int BlocksPerSealTransaction = 16;

    private readonly Lock _gate;
    private readonly DurableLiteDatabase _files;
    private readonly Func<bool> _closed;
    private readonly Func<Action?> _afterCommit;
    private readonly string _location;
    private long _sealedThrough;
    private long _tailCount;
    private bool _stopped;
    private int _running;

    /// <summary>
    /// Starts with what the file holds now; called under the gate by a writable store's open. <paramref name="closed"/>
    /// says the store was disposed (no transaction starts after it); <paramref name="afterCommit"/> is the store's test seam
    /// between a commit and its fsync, which sealing transactions pass through like appends.
    /// </summary>
    public EntryBlockSealer(Lock gate, DurableLiteDatabase files, string location, Func<bool> closed, Func<Action?> afterCommit)
    {
        _gate = gate;
        _files = files;
        _location = location;
        _closed = closed;
        _afterCommit = afterCommit;
        _sealedThrough = EntryBlockDocuments.SealedThrough(files.Database);
        _tailCount = files.Database.GetCollection(LiteDbLedgerStore.EntriesCollection).Query().Where(Query.GT("_id", _sealedThrough)).LongCount();
    }

    /// <summary>The last seq held by a block, as this writer knows it; under the gate.</summary>
    public long SealedThrough => _sealedThrough;

    /// <summary>The entries waiting as single documents; under the gate.</summary>
    public long TailCount => _tailCount;

    /// <summary>Counts entries appended as single documents; under the gate.</summary>
    public void Appended(int count) => _tailCount += count;

    /// <summary>Records blocks written directly (a bulk append); under the gate.</summary>
    public void BlocksWritten(long lastSeq) => _sealedThrough = lastSeq;

    /// <summary>Starts the background sealer when a complete run waits in the tail and none is running.</summary>
    public void Schedule()
    {
        if (Volatile.Read(ref _tailCount) < EntryBlock.Size || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                SealCompleteBlocks();
            }
            catch (Exception)
            {
                // Sealing only repacks entries that are already durable; if it fails the entries stay
                // single documents, which every reader reads. Stop trying rather than fail appends.
                lock (_gate)
                {
                    _stopped = true;
                }
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        });
    }

    /// <summary>Seals every complete aligned run now, in this thread, one transaction at a time; returns the number of blocks sealed.</summary>
    public int SealCompleteBlocks()
    {
        var total = 0;
        while (true)
        {
            int sealedNow;
            lock (_gate)
            {
                sealedNow = _closed() ? 0 : SealSomeInTransaction();
            }

            if (sealedNow == 0)
            {
                return total;
            }

            total += sealedNow;
        }
    }

    /// <summary>Moves up to <see cref="BlocksPerSealTransaction"/> complete runs from the tail into blocks, in one transaction; under the gate.</summary>
    private int SealSomeInTransaction()
    {
        if (_stopped || _tailCount < EntryBlock.Size)
        {
            return 0;
        }

        var database = _files.Database;
        var entries = database.GetCollection(LiteDbLedgerStore.EntriesCollection);
        var blocks = new List<(long Start, byte[] Data)>();
        var start = _sealedThrough + 1;
        while (blocks.Count < BlocksPerSealTransaction)
        {
            var end = start + EntryBlock.Size - 1;
            var documents = entries.Query().Where(Query.And(Query.GTE("_id", start), Query.LTE("_id", end))).OrderBy("_id").ToList();
            if (documents.Count != EntryBlock.Size)
            {
                // The run is not complete (or the ledger has a gap, which only verification should report): leave it as it is.
                break;
            }

            byte[] data;
            try
            {
                data = EntryBlock.Pack([.. documents.Select(document => EntryDocuments.ToEntry(document, _location))]);
            }
            catch (Exception)
            {
                // An entry that cannot be packed without changing a byte stays a single document, and so does everything after it.
                _stopped = true;
                break;
            }

            if (data.Length > MaxBlockBytes)
            {
                // Entries are at most LedgerFormat.MaxEntryBytes each, so a run of large ones can exceed what one LiteDB
                // document holds: that run stays single documents, and so does everything after it (reads are the same).
                _stopped = true;
                break;
            }

            blocks.Add((start, data));
            start = end + 1;
        }

        if (blocks.Count == 0)
        {
            return 0;
        }

        _files.CommitDurably(
            () =>
            {
                foreach (var (blockStart, data) in blocks)
                {
                    EntryBlockDocuments.Insert(database, blockStart, data);
                    entries.DeleteMany(Query.And(Query.GTE("_id", blockStart), Query.LTE("_id", blockStart + EntryBlock.Size - 1)));
                }
            },
            _afterCommit());
        _sealedThrough = start - 1;
        _tailCount -= (long)blocks.Count * EntryBlock.Size;
        return blocks.Count;
    }
}
