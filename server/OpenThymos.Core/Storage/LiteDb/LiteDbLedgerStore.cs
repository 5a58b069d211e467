// The default ledger store: one LiteDB file per workspace, fsynced before every acknowledgement.
using LiteDB;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Storage layout 2 (docs/ledger-format.md, "Storage in LiteDB"): sealed entries are packed
/// <see cref="EntryBlock.Size"/> at a time into entry blocks (<see cref="EntryBlockDocuments"/>), so a scan decodes one
/// document per 256 entries; the newest entries are single documents in the collection <c>entries</c>
/// (<c>_id</c> = seq, the layout-1 form, <see cref="EntryDocuments"/>), so an append never rewrites a large document.
/// Once a whole aligned run of 256 is in <c>entries</c>, <see cref="EntryBlockSealer"/> moves it into a block in the
/// background (same fields and bytes, so no hash changes). A layout-1 ledger is a layout-2 ledger whose entries are all
/// still single documents: it is read as it is, and opening it for writing seals it in the background. Blobs are
/// chunked (<see cref="ChunkedBlobs"/>). LiteDB is opened over fsyncing streams (<see cref="DurableLiteDatabase"/>).
/// A writable store takes the single-writer lock; a read-only store takes no lock and never writes, and its file is
/// screened first (<see cref="LiteDbPageScreen"/>).
/// Reads check that every entry is where its seq says (a block's n-th entry, the tail in ascending order) and
/// throw <see cref="InvalidDataException"/> otherwise, so a damaged file never hands out an entry in the wrong place;
/// a read-only store survives a document LiteDB cannot decode (see <see cref="Guarded{T}"/>).
/// Opened through <see cref="LiteDbLedgerStoreFactory"/>; the contract it keeps is <see cref="ILedgerStore"/>'s.
/// </summary>
public sealed class LiteDbLedgerStore : ILedgerStore
{
    /// <summary>The storage layout this store writes (1: one document per entry; 2: sealed entry blocks plus a tail).</summary>
    public const int CurrentLayoutVersion = 2;

    /// <summary>The collection of single-document entries (the tail).</summary>
    internal const string EntriesCollection = "entries";

    private const string MetaCollection = "meta";
    private const string LayoutId = "layout";

    private readonly LedgerWriterLock? _writerLock;
    private readonly Lock _gate = new();
    private readonly bool _readOnly;
    private readonly LiteDbStoreMeter? _meter;
    private readonly DurableLiteDatabase _files;
    private readonly EntryBlockSealer? _sealer;
    private bool _disposed;

    private LiteDbLedgerStore(string path, bool readOnly, LedgerWriterLock? writerLock, LiteDbStoreMeter? meter)
    {
        Location = path;
        _readOnly = readOnly;
        _writerLock = writerLock;
        _meter = meter;
        _files = new DurableLiteDatabase(path, readOnly, meter);
        if (!readOnly)
        {
            // Entries are only ever looked up by seq (_id). Earlier versions also indexed kind and actor;
            // nothing queried those indexes, and each cost an index page in every append's transaction
            // (docs/benchmarks.md, Approve → durable commit), so they are dropped where they exist.
            Database.GetCollection(EntriesCollection).DropIndex("kind");
            Database.GetCollection(EntriesCollection).DropIndex("actor");
            Database.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = LayoutId, ["version"] = CurrentLayoutVersion });
            _files.CheckpointToDisk();
            _sealer = new EntryBlockSealer(_gate, _files, path, () => _disposed, () => AfterCommit);
            _sealer.Schedule();
        }
    }

    /// <summary>
    /// The storage layout of the file: 2 once a writer of this version opened it, 1 for a file only
    /// older versions wrote (every entry a single document; still read as it is).
    /// </summary>
    public int LayoutVersion
    {
        get
        {
            lock (_gate)
            {
                return Guarded(() =>
                {
                    var meta = Database.GetCollection(MetaCollection).FindById(LayoutId);
                    return meta is null ? 1 : meta["version"].AsInt32;
                });
            }
        }
    }

    /// <summary>The number of sealed entry blocks (each holds <see cref="EntryBlock.Size"/> entries).</summary>
    public long BlockCount
    {
        get
        {
            lock (_gate)
            {
                return Guarded(() => EntryBlockDocuments.Of(Database).LongCount());
            }
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>
    /// Test seam: runs inside each append's transaction after its documents are inserted, before the commit; throwing
    /// makes the store roll the transaction back (as a document LiteDB refuses would).
    /// </summary>
    internal Action<IReadOnlyList<LedgerEntry>>? BeforeCommit { get; set; }

    /// <summary>Test seam: runs after a transaction's commit and before its fsync; throwing stands for an fsync that failed (state unknown).</summary>
    internal Action? AfterCommit { get; set; }

    private LiteDatabase Database => _files.Database;

    /// <summary>The path of LiteDB's write-ahead log beside a data file.</summary>
    public static string LogPathOf(string path) => DurableLiteDatabase.LogPathOf(path);

    /// <summary>
    /// Opens (creating if needed) the ledger file for writing, taking the single-writer lock first.
    /// </summary>
    /// <exception cref="LedgerLockedException">Another writer holds the ledger.</exception>
    public static LiteDbLedgerStore OpenForWriting(string path, string holderDescription) => OpenForWriting(path, holderDescription, meter: null);

    /// <summary>Opens an existing ledger file for reading only; a writer may hold it at the same time.</summary>
    /// <exception cref="FileNotFoundException">There is no ledger file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">A page of the file is not where its header says (see <see cref="LiteDbPageScreen"/>).</exception>
    public static LiteDbLedgerStore OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no ledger at '{path}'. Open the workspace with OpenThymos first, or pass the right ledger path.", path);
        }

        LiteDbPageScreen.RefusePagesOutOfPlace(path);
        return new LiteDbLedgerStore(path, readOnly: true, writerLock: null, meter: null);
    }

    /// <inheritdoc cref="OpenForWriting(string, string)"/>
    /// <param name="path">The ledger file.</param>
    /// <param name="holderDescription">Describes the writer in lock messages.</param>
    /// <param name="meter">Counts what durability costs (the bench and durability tests); null in production.</param>
    internal static LiteDbLedgerStore OpenForWriting(string path, string holderDescription, LiteDbStoreMeter? meter)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var writerLock = LedgerWriterLock.Acquire(path, holderDescription);
        try
        {
            return new LiteDbLedgerStore(path, readOnly: false, writerLock, meter);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public LedgerEntry? ReadLast()
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                var tailTop = TailMaxSeq();
                var sealedTop = EntryBlockDocuments.SealedThrough(Database);
                if (tailTop == 0 && sealedTop == 0)
                {
                    return null;
                }

                return tailTop > sealedTop ? EntryDocuments.ToEntry(Entries().FindById(tailTop), Location) : EntryBlockDocuments.ReadOne(Database, sealedTop, Location);
            });
        }
    }

    /// <inheritdoc />
    public LedgerEntry? Read(long seq)
    {
        if (seq < LedgerFormat.GenesisSeq)
        {
            return null;
        }

        lock (_gate)
        {
            return Guarded(() =>
            {
                try
                {
                    var document = Entries().FindById(seq);
                    return document is not null ? EntryDocuments.ToEntry(document, Location) : EntryBlockDocuments.ReadOne(Database, seq, Location);
                }
                catch (LiteException exception)
                {
                    throw new InvalidDataException($"LiteDB cannot decode the stored document that holds entry {seq} in '{Location}': {exception.Message}.", exception);
                }
            });
        }
    }

    /// <inheritdoc />
    public IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq)
    {
        // Read a block or a page of single documents at a time, so a long ledger streams without
        // holding the gate across the caller's work.
        var next = Math.Max(fromSeq, LedgerFormat.GenesisSeq);
        while (next <= toSeq)
        {
            List<LedgerEntry> page;
            long resume;
            lock (_gate)
            {
                (page, resume) = Guarded(() => ReadStep(next, toSeq));
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (resume <= next)
            {
                yield break;
            }

            next = resume;
        }
    }

    /// <inheritdoc />
    public long MaxSeq()
    {
        lock (_gate)
        {
            return Guarded(() => Math.Max(TailMaxSeq(), EntryBlockDocuments.SealedThrough(Database)));
        }
    }

    /// <inheritdoc />
    public long Count()
    {
        lock (_gate)
        {
            return Guarded(() => (EntryBlockDocuments.Of(Database).LongCount() * EntryBlock.Size) + Entries().LongCount());
        }
    }

    /// <summary>
    /// Seals every complete aligned run of <see cref="EntryBlock.Size"/> single-document entries
    /// now, in this thread (the writer does it in the background after appends; tests and migration
    /// call this to make it happen at a known point). Returns the number of blocks sealed; 0 on a read-only store.
    /// </summary>
    public int SealCompleteBlocks() => _sealer?.SealCompleteBlocks() ?? 0;

    /// <inheritdoc />
    public void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs)
    {
        var sealer = _sealer ?? throw new InvalidOperationException($"The ledger '{Location}' is open read-only.");
        lock (_gate)
        {
            // Returning is the acknowledgement, so the transaction is on disk (not only in the log's pages) first.
            var transactionTicks = _files.CommitDurably(
                () =>
                {
                    foreach (var blob in blobs)
                    {
                        ChunkedBlobs.Write(Database, blob);
                    }

                    var collection = Entries();
                    foreach (var entry in entries)
                    {
                        collection.Insert(EntryDocuments.ToDocument(entry));
                    }

                    BeforeCommit?.Invoke(entries);
                },
                AfterCommit);
            _meter?.AddTransactionTicks(transactionTicks);
            if (entries.Count > 0)
            {
                _meter?.MarkDurable(entries[^1].Seq);
            }

            sealer.Appended(entries.Count);
        }

        sealer.Schedule();
    }

    /// <inheritdoc />
    public bool ContainsBlob(ContentHash hash)
    {
        lock (_gate)
        {
            return Guarded(() => ChunkedBlobs.Contains(Database, hash));
        }
    }

    /// <inheritdoc />
    public byte[]? ReadBlob(ContentHash hash)
    {
        lock (_gate)
        {
            return Guarded(() => ChunkedBlobs.Read(Database, hash, Location));
        }
    }

    /// <inheritdoc />
    public IEnumerable<ContentHash> ListBlobs()
    {
        lock (_gate)
        {
            return Guarded(() => ChunkedBlobs.List(Database));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // The sealer checks this under the gate before every transaction, so none starts after it.
            _disposed = true;
            _files.Dispose();
            _writerLock?.Dispose();
        }
    }

    /// <summary>
    /// Bench only (bulk imports of already-chained entries, the bench's long ledgers): appends whole runs of entries
    /// directly as sealed blocks, in one transaction and one fsync: the same block documents the background sealer
    /// writes (<see cref="EntryBlockDocuments.Insert"/>, <see cref="EntryBlock.Pack"/>), without first writing each entry
    /// as a single document and then moving it. Internal, so production code cannot reach it.
    /// Only allowed when nothing waits in the tail, so blocks stay a contiguous prefix: the entries
    /// must continue the ledger right after the last block, and their number must be a multiple of
    /// <see cref="EntryBlock.Size"/>. The caller has chained and hashed them (they are not checked
    /// here, exactly as <see cref="Append"/> does not check them); verification checks everything.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is read-only, the tail is not empty, or the entries do not continue the ledger in whole runs.</exception>
    internal void AppendBlocks(IReadOnlyList<LedgerEntry> entries)
    {
        var sealer = _sealer ?? throw new InvalidOperationException($"The ledger '{Location}' is open read-only.");
        if (entries.Count % EntryBlock.Size != 0)
        {
            throw new InvalidOperationException($"A bulk append to '{Location}' must hold whole blocks of {EntryBlock.Size} entries, not {entries.Count}.");
        }

        lock (_gate)
        {
            if (sealer.TailCount != 0 || TailMaxSeq() != 0)
            {
                throw new InvalidOperationException($"The ledger '{Location}' has entries waiting to be sealed; seal them before a bulk append.");
            }

            var packed = new List<(long Start, byte[] Data)>(entries.Count / EntryBlock.Size);
            for (var offset = 0; offset < entries.Count; offset += EntryBlock.Size)
            {
                var start = sealer.SealedThrough + 1 + offset;
                for (var index = 0; index < EntryBlock.Size; index++)
                {
                    if (entries[offset + index].Seq != start + index)
                    {
                        throw new InvalidOperationException($"A bulk append to '{Location}' must continue at entry {start + index}, but got entry {entries[offset + index].Seq}.");
                    }
                }

                packed.Add((start, EntryBlock.Pack(entries.Skip(offset).Take(EntryBlock.Size).ToList())));
            }

            _files.CommitDurably(
                () =>
                {
                    foreach (var (start, data) in packed)
                    {
                        EntryBlockDocuments.Insert(Database, start, data);
                    }
                },
                AfterCommit);
            if (entries.Count > 0)
            {
                sealer.BlocksWritten(entries[^1].Seq);
                _meter?.MarkDurable(entries[^1].Seq);
            }
        }
    }

    /// <summary>
    /// The exact bytes this store writes for <paramref name="entry"/>: its one-entry block packing when sealed, else its
    /// single document's BSON. The tamper tests search the file for them to flip bits inside a stored entry.
    /// </summary>
    internal static byte[] StoredBytesOf(LedgerEntry entry, bool isSealed) =>
        isSealed ? EntryBlock.Pack([entry]) : BsonSerializer.Serialize(EntryDocuments.ToDocument(entry));

    /// <summary>
    /// Runs a read under the gate. When LiteDB meets a page or document it cannot decode it closes its engine and
    /// its files for good, and every later call fails with that first error; a read-only store then opens the file
    /// again, so one damaged document makes only the reads that touch it fail, and a verifier can still name it and
    /// check everything else. A writer is left as it is: a store whose file failed to read is in an unknown state
    /// and is reopened from disk by its owner.
    /// </summary>
    private T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception) when (_readOnly && !_disposed)
        {
            _files.Reopen();
            throw;
        }
    }

    /// <summary>
    /// One step of <see cref="ReadRange"/>, under the gate: the block that holds <paramref name="next"/> if there
    /// is one, else single documents from <paramref name="next"/> up to the next block. This reads both layouts,
    /// and a block sealed between two steps is found where its entries were. Returns the entries and the seq to
    /// continue at; an empty page with <c>Resume</c> not above <paramref name="next"/> is the end.
    /// </summary>
    private (List<LedgerEntry> Page, long Resume) ReadStep(long next, long toSeq)
    {
        const int PageSize = 512;
        var start = EntryBlock.StartOf(next);
        if (EntryBlockDocuments.ReadAll(Database, start, Location) is { } entries)
        {
            var skip = (int)(next - start);
            var take = (int)Math.Min(entries.Count - skip, toSeq - next + 1);
            return (take > 0 ? entries.GetRange(skip, take) : [], start + EntryBlock.Size);
        }

        var nextBlock = EntryBlockDocuments.NextStartAfter(Database, next);
        var bound = nextBlock is null ? toSeq : Math.Min(toSeq, nextBlock.Value - 1);
        var page = Entries().Query()
            .Where(Query.And(Query.GTE("_id", next), Query.LTE("_id", bound)))
            .OrderBy("_id")
            .Limit(PageSize)
            .ToEnumerable()
            .Select(document => EntryDocuments.ToEntry(document, Location))
            .ToList();

        // The index gives documents in key order, but the seq read back is the document's own _id: one that was
        // changed inside the file (not through the index) lands out of order or outside the range asked for.
        var previous = next - 1;
        foreach (var entry in page)
        {
            if (entry.Seq <= previous || entry.Seq > bound)
            {
                throw new InvalidDataException(
                    $"The ledger '{Location}' holds, among the single-document entries {next} to {bound}, after entry {previous}, a document that says it is entry {entry.Seq}: its seq was changed in the file.");
            }

            previous = entry.Seq;
        }

        if (page.Count > 0)
        {
            return (page, page[^1].Seq + 1);
        }

        return ([], nextBlock ?? next);
    }

    private ILiteCollection<BsonDocument> Entries() => Database.GetCollection(EntriesCollection);

    private long TailMaxSeq()
    {
        var top = Entries().Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return top is null ? 0 : top["_id"].AsInt64;
    }
}
