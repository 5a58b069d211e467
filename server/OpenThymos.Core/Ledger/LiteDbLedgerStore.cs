// The default ledger store: one LiteDB file per workspace, fsynced before every acknowledgement.
using System.Diagnostics.CodeAnalysis;
using LiteDB;
using LiteDB.Engine;
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Storage layout 2 (docs/ledger-format.md, "Storage in LiteDB"): sealed entries are packed
/// <see cref="LedgerSegment.Size"/> at a time into documents of the collection <c>segments</c>
/// (<c>_id</c> = first seq), so a scan decodes one document per 256 entries; the newest entries are
/// single documents in the collection <c>entries</c> (<c>_id</c> = seq, the layout-1 form), so an
/// append never rewrites a large document. Once a whole aligned run of 256 is in <c>entries</c>, a
/// background transaction moves it into a segment (same fields and bytes, so no hash changes).
/// A layout-1 ledger is a layout-2 ledger whose entries are all still single documents: it is read
/// as it is, and opening it for writing seals it in the background. Blobs are chunked in
/// <c>blobs</c> and <c>blob_chunks</c>. LiteDB is opened over <see cref="DurableFileStream"/>s so the
/// log is fsynced after each commit: LiteDB 5.0.21 alone only fsyncs at checkpoints.
/// A writable store takes the single-writer lock; a read-only store takes no lock and never writes.
/// Reads check that every entry is where its seq says (a segment's n-th entry, the tail in ascending order) and
/// throw <see cref="InvalidDataException"/> otherwise, so a damaged file never hands out an entry in the wrong place;
/// a read-only store survives a document LiteDB cannot decode (see <see cref="Guarded{T}"/>).
/// </summary>
public sealed class LiteDbLedgerStore : ILedgerStore
{
    /// <summary>Blobs are split into chunks of this size because a LiteDB document is limited to 16 MB.</summary>
    public const int BlobChunkSize = 1 << 20;

    /// <summary>The storage layout this store writes (1: one document per entry; 2: sealed segments plus a tail).</summary>
    public const int CurrentLayoutVersion = 2;

    /// <summary>The largest packed segment written: well under LiteDB's document limit (about 16 MB), with room for the document's other fields.</summary>
    private const int MaxSegmentBytes = 15 * 1024 * 1024;

    /// <summary>Segments sealed per background transaction, so a migration does not hold the ledger for long.</summary>
    private const int SegmentsPerSealTransaction = 16;

    private const string EntriesCollection = "entries";
    private const string SegmentsCollection = "segments";
    private const string MetaCollection = "meta";
    private const string LayoutId = "layout";
    private const string BlobsCollection = "blobs";
    private const string BlobChunksCollection = "blob_chunks";

    private readonly LedgerWriterLock? _writerLock;
    private readonly Lock _gate = new();
    private readonly bool _readOnly;
    private long _durableSeq;
    private long _transactionTicks;
    private long _sealedThrough;
    private long _tailCount;
    private bool _sealingStopped;
    private bool _disposed;
    private int _sealerRunning;
    private Task _sealer = Task.CompletedTask;
    private DurableFileStream _dataStream;
    private Stream _logStream;
    private LiteDatabase _database;

    private LiteDbLedgerStore(string path, bool readOnly, LedgerWriterLock? writerLock)
    {
        Location = path;
        _readOnly = readOnly;
        _writerLock = writerLock;
        Open();
        if (!readOnly)
        {
            // Entries are only ever looked up by seq (_id). Earlier versions also indexed kind and actor;
            // nothing queried those indexes, and each cost an index page in every append's transaction
            // (docs/benchmarks.md, Approve → durable commit), so they are dropped where they exist.
            _database.GetCollection(EntriesCollection).DropIndex("kind");
            _database.GetCollection(EntriesCollection).DropIndex("actor");
            _database.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = LayoutId, ["version"] = CurrentLayoutVersion });
            _database.Checkpoint();
            _dataStream.FlushToDisk();
            _sealedThrough = SealedThrough();
            _tailCount = Entries().Query().Where(Query.GT("_id", _sealedThrough)).LongCount();
            ScheduleSealing();
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
                    var meta = _database.GetCollection(MetaCollection).FindById(LayoutId);
                    return meta is null ? 1 : meta["version"].AsInt32;
                });
            }
        }
    }

    /// <summary>The number of sealed segments (each holds <see cref="LedgerSegment.Size"/> entries).</summary>
    public long SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return Guarded(() => Segments().LongCount());
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

    /// <summary>fsync calls made on the LiteDB log file (one per acknowledged append).</summary>
    public long LogFsyncCount => (_logStream as DurableFileStream)?.FsyncCount ?? 0;

    /// <summary>Bytes LiteDB wrote to its log file (whole 8 KiB pages), for the write-cost breakdown.</summary>
    public long LogBytesWritten => (_logStream as DurableFileStream)?.BytesWritten ?? 0;

    /// <summary>Pages LiteDB wrote to its log file (one write call each).</summary>
    public long LogPagesWritten => (_logStream as DurableFileStream)?.WriteCount ?? 0;

    /// <summary>Time spent in fsync of the log file, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long LogFsyncTicks => (_logStream as DurableFileStream)?.FsyncTicks ?? 0;

    /// <summary>Time spent in fsync of the data file (checkpoints), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long DataFsyncTicks => _dataStream.FsyncTicks;

    /// <summary>Time appends spent in their LiteDB transaction (begin to commit, log pages written, before the fsync), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long TransactionTicks => Interlocked.Read(ref _transactionTicks);

    /// <summary>The highest seq whose transaction has been fsynced (set only after the fsync returned); for durability tests.</summary>
    public long DurableSeq => Interlocked.Read(ref _durableSeq);

    /// <summary>fsync calls made on the LiteDB data file (at checkpoints).</summary>
    public long DataFsyncCount => _dataStream.FsyncCount;

    /// <summary>The path of LiteDB's write-ahead log beside a data file.</summary>
    public static string LogPathOf(string path) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(path) ?? ".",
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>
    /// Opens (creating if needed) the ledger file for writing, taking the single-writer lock first.
    /// </summary>
    /// <exception cref="LedgerLockedException">Another writer holds the ledger.</exception>
    public static LiteDbLedgerStore OpenForWriting(string path, string holderDescription)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var writerLock = LedgerWriterLock.Acquire(path, holderDescription);
        try
        {
            return new LiteDbLedgerStore(path, readOnly: false, writerLock);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing ledger file for reading only; a writer may hold it at the same time.</summary>
    /// <exception cref="InvalidDataException">A page of the file is not where its header says (see <see cref="RefusePagesOutOfPlace"/>).</exception>
    public static LiteDbLedgerStore OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no ledger at '{path}'. Open the workspace with OpenThymos first, or pass the right ledger path.", path);
        }

        RefusePagesOutOfPlace(path);
        return new LiteDbLedgerStore(path, readOnly: true, writerLock: null);
    }

    /// <inheritdoc />
    public LedgerEntry? ReadLast()
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                var tailTop = TailMaxSeq();
                var sealedTop = SealedThrough();
                if (tailTop == 0 && sealedTop == 0)
                {
                    return null;
                }

                return tailTop > sealedTop ? ToEntry(Entries().FindById(tailTop)) : ReadSealed(sealedTop);
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
                    return document is not null ? ToEntry(document) : ReadSealed(seq);
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
        // Read a segment or a page of single documents at a time, so a long ledger streams without
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
            return Guarded(() => Math.Max(TailMaxSeq(), SealedThrough()));
        }
    }

    /// <inheritdoc />
    public long Count()
    {
        lock (_gate)
        {
            return Guarded(() => (Segments().LongCount() * LedgerSegment.Size) + Entries().LongCount());
        }
    }

    /// <summary>
    /// Seals every complete aligned run of <see cref="LedgerSegment.Size"/> single-document entries
    /// now, in this thread (the writer does it in the background after appends; tests and migration
    /// call this to make it happen at a known point). Returns the number of segments sealed.
    /// </summary>
    public int SealCompleteSegments()
    {
        var total = 0;
        while (true)
        {
            int sealedNow;
            lock (_gate)
            {
                sealedNow = _disposed ? 0 : SealSomeInTransaction();
            }

            if (sealedNow == 0)
            {
                return total;
            }

            total += sealedNow;
        }
    }

    /// <inheritdoc />
    public void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs)
    {
        if (_readOnly)
        {
            throw new InvalidOperationException($"The ledger '{Location}' is open read-only.");
        }

        lock (_gate)
        {
            // Returning is the acknowledgement, so the transaction is on disk (not only in the log's pages) first.
            var transactionTicks = CommitDurably(() =>
            {
                foreach (var blob in blobs)
                {
                    WriteBlobInTransaction(blob);
                }

                var collection = Entries();
                foreach (var entry in entries)
                {
                    collection.Insert(ToDocument(entry));
                }

                BeforeCommit?.Invoke(entries);
            });
            Interlocked.Add(ref _transactionTicks, transactionTicks);
            if (entries.Count > 0)
            {
                Interlocked.Exchange(ref _durableSeq, entries[^1].Seq);
            }

            _tailCount += entries.Count;
        }

        ScheduleSealing();
    }

    /// <summary>
    /// Appends whole runs of entries directly as sealed segments, in one transaction and one fsync,
    /// for bulk imports of already-chained entries (the bench's long ledgers): the same segment
    /// documents the background sealer writes (<see cref="InsertSegment"/>, <see cref="LedgerSegment.Pack"/>),
    /// without first writing each entry as a single document and then moving it.
    /// Only allowed when nothing waits in the tail, so segments stay a contiguous prefix: the entries
    /// must continue the ledger right after the last segment, and their number must be a multiple of
    /// <see cref="LedgerSegment.Size"/>. The caller has chained and hashed them (they are not checked
    /// here, exactly as <see cref="Append"/> does not check them); verification checks everything.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is read-only, the tail is not empty, or the entries do not continue the ledger in whole runs.</exception>
    public void AppendSealed(IReadOnlyList<LedgerEntry> entries)
    {
        if (_readOnly)
        {
            throw new InvalidOperationException($"The ledger '{Location}' is open read-only.");
        }

        if (entries.Count % LedgerSegment.Size != 0)
        {
            throw new InvalidOperationException($"A bulk append to '{Location}' must hold whole segments of {LedgerSegment.Size} entries, not {entries.Count}.");
        }

        lock (_gate)
        {
            if (_tailCount != 0 || TailMaxSeq() != 0)
            {
                throw new InvalidOperationException($"The ledger '{Location}' has entries waiting to be sealed; seal them before a bulk append.");
            }

            var packed = new List<(long Start, byte[] Data)>(entries.Count / LedgerSegment.Size);
            for (var offset = 0; offset < entries.Count; offset += LedgerSegment.Size)
            {
                var start = _sealedThrough + 1 + offset;
                for (var index = 0; index < LedgerSegment.Size; index++)
                {
                    if (entries[offset + index].Seq != start + index)
                    {
                        throw new InvalidOperationException($"A bulk append to '{Location}' must continue at entry {start + index}, but got entry {entries[offset + index].Seq}.");
                    }
                }

                packed.Add((start, LedgerSegment.Pack(entries.Skip(offset).Take(LedgerSegment.Size).ToList())));
            }

            CommitDurably(() =>
            {
                foreach (var (start, data) in packed)
                {
                    InsertSegment(start, data);
                }
            });
            if (entries.Count > 0)
            {
                _sealedThrough = entries[^1].Seq;
                Interlocked.Exchange(ref _durableSeq, entries[^1].Seq);
            }
        }
    }

    /// <inheritdoc />
    public bool ContainsBlob(ContentHash hash)
    {
        lock (_gate)
        {
            return Guarded(() => _database.GetCollection(BlobsCollection).FindById(hash.ToString()) is not null);
        }
    }

    /// <inheritdoc />
    public byte[]? ReadBlob(ContentHash hash)
    {
        lock (_gate)
        {
            return Guarded(() => ReadBlobContent(hash));
        }
    }

    /// <inheritdoc />
    public IEnumerable<ContentHash> ListBlobs()
    {
        List<ContentHash> hashes;
        lock (_gate)
        {
            hashes = Guarded(() => _database.GetCollection(BlobsCollection).Query().Select("_id").ToEnumerable()
                .Select(document => ContentHash.TryParse(document["_id"].AsString, out var hash) ? hash : ContentHash.Zero)
                .ToList());
        }

        return hashes;
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
            _database.Dispose();
            _dataStream.Dispose();
            _logStream.Dispose();
            _writerLock?.Dispose();
        }
    }

    /// <summary>
    /// Refuses a data file with a page out of place. LiteDB 5 keeps page n at byte n × 8 KiB and trusts the id in
    /// the page's header: a collection page whose header names another page (one flipped bit is enough) leaves its
    /// page cache inconsistent, and the transaction LiteDB then abandons throws from its finalizer, which ends the
    /// whole process, not only this read. Checked only when the log is empty (a cleanly closed ledger): pages in a
    /// non-empty log supersede their places in the data file, which a crash in a checkpoint may have left half
    /// written. An all-zero header (space the file grew by but nothing used) is not a page and is let through.
    /// </summary>
    private static void RefusePagesOutOfPlace(string path)
    {
        var log = new FileInfo(LogPathOf(path));
        if (log.Exists && log.Length > 0)
        {
            return;
        }

        const int PageSize = 8192;
        const int HeaderSize = 32;
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var pages = RandomAccess.GetLength(file) / PageSize;
        Span<byte> header = stackalloc byte[HeaderSize];
        for (long page = 0; page < pages; page++)
        {
            if (RandomAccess.Read(file, header, page * PageSize) < HeaderSize)
            {
                return;
            }

            var named = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (named != page && header.ContainsAnyExcept((byte)0))
            {
                throw new InvalidDataException(
                    $"The ledger file '{path}' is damaged: page {page} (bytes {page * PageSize} to {((page + 1) * PageSize) - 1}) says it is page {named}, and LiteDB cannot read such a file safely. Restore the ledger from a backup.");
            }
        }
    }

    /// <summary>Opens the data and log files and LiteDB over them.</summary>
    [MemberNotNull(nameof(_dataStream), nameof(_logStream), nameof(_database))]
    private void Open()
    {
        _dataStream = new DurableFileStream(Location, _readOnly);
        // A cleanly closed ledger has no log file; a reader then needs an empty one, not a new file on disk.
        _logStream = _readOnly && !File.Exists(LogPathOf(Location)) ? new MemoryStream([], writable: false) : new DurableFileStream(LogPathOf(Location), _readOnly);
        var engine = new LiteEngine(new EngineSettings
        {
            DataStream = _dataStream,
            LogStream = _logStream,
            ReadOnly = _readOnly,
            AutoRebuild = false,
        });
        _database = new LiteDatabase(engine, disposeOnClose: true);
    }

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
            foreach (var closing in new IDisposable[] { _database, _dataStream, _logStream })
            {
                try
                {
                    closing.Dispose();
                }
                catch (Exception)
                {
                    // Closing what already closed itself on an error may fail again; it holds nothing to keep.
                }
            }

            Open();
            throw;
        }
    }

    /// <summary>
    /// One step of <see cref="ReadRange"/>, under the gate: the segment that holds <paramref name="next"/> if there
    /// is one, else single documents from <paramref name="next"/> up to the next segment. This reads both layouts,
    /// and a segment sealed between two steps is found where its entries were. Returns the entries and the seq to
    /// continue at; an empty page with <c>Resume</c> not above <paramref name="next"/> is the end.
    /// </summary>
    private (List<LedgerEntry> Page, long Resume) ReadStep(long next, long toSeq)
    {
        const int PageSize = 512;
        var start = LedgerSegment.StartOf(next);
        var segment = Segments().FindById(start);
        if (segment is not null)
        {
            var entries = UnpackSegment(segment, start);
            var skip = (int)(next - start);
            var take = (int)Math.Min(entries.Count - skip, toSeq - next + 1);
            return (take > 0 ? entries.GetRange(skip, take) : [], start + LedgerSegment.Size);
        }

        var nextSegment = Segments().Query().Where(Query.GT("_id", next)).OrderBy("_id").Select("_id").Limit(1).FirstOrDefault();
        var bound = nextSegment is null ? toSeq : Math.Min(toSeq, nextSegment["_id"].AsInt64 - 1);
        var page = Entries().Query()
            .Where(Query.And(Query.GTE("_id", next), Query.LTE("_id", bound)))
            .OrderBy("_id")
            .Limit(PageSize)
            .ToEnumerable()
            .Select(ToEntry)
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

        return ([], nextSegment is null ? next : nextSegment["_id"].AsInt64);
    }

    /// <summary>Reads a blob's chunks back into one array; under the gate.</summary>
    private byte[]? ReadBlobContent(ContentHash hash)
    {
        var header = _database.GetCollection(BlobsCollection).FindById(hash.ToString());
        if (header is null)
        {
            return null;
        }

        var size = header["size"].AsInt64;
        var chunkCount = header["chunks"].AsInt32;
        if (size < 0 || size > (long)chunkCount * BlobChunkSize)
        {
            // Checked before allocating: a damaged size must not ask for gigabytes.
            throw new InvalidDataException($"Blob {hash} in '{Location}' records {size} bytes in {chunkCount} chunks, which cannot be.");
        }

        var content = new byte[size];
        var chunks = _database.GetCollection(BlobChunksCollection);
        long offset = 0;
        for (var index = 0; index < chunkCount; index++)
        {
            var chunk = chunks.FindById(ChunkId(hash, index))
                ?? throw new InvalidDataException($"Blob {hash} in '{Location}' is missing chunk {index} of {chunkCount}.");
            var data = chunk["data"].AsBinary ?? throw new InvalidDataException($"Blob {hash} in '{Location}' has chunk {index} without data.");
            if (offset + data.Length > size)
            {
                throw new InvalidDataException($"Blob {hash} in '{Location}' has more bytes than its recorded size {size}.");
            }

            data.CopyTo(content, offset);
            offset += data.Length;
        }

        if (offset != size)
        {
            throw new InvalidDataException($"Blob {hash} in '{Location}' has {offset} bytes but records {size}.");
        }

        return content;
    }

    private ILiteCollection<BsonDocument> Entries() => _database.GetCollection(EntriesCollection);

    private ILiteCollection<BsonDocument> Segments() => _database.GetCollection(SegmentsCollection);

    /// <summary>The last seq held by a segment (0 when none): segments are a contiguous prefix from seq 1, each full.</summary>
    private long SealedThrough()
    {
        var top = Segments().Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return top is null ? 0 : top["_id"].AsInt64 + LedgerSegment.Size - 1;
    }

    private long TailMaxSeq()
    {
        var top = Entries().Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return top is null ? 0 : top["_id"].AsInt64;
    }

    private LedgerEntry? ReadSealed(long seq)
    {
        var start = LedgerSegment.StartOf(seq);
        var segment = Segments().FindById(start);
        if (segment is null)
        {
            return null;
        }

        var index = (int)(seq - start);
        if (index >= segment["count"].AsInt32)
        {
            return null;
        }

        try
        {
            return LedgerSegment.UnpackAt(segment["data"].AsBinary ?? throw new InvalidDataException("data is missing"), index);
        }
        catch (Exception exception)
        {
            throw new InvalidDataException($"The ledger segment starting at entry {start} in '{Location}' is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>Unpacks the segment found under <paramref name="start"/> and checks that its entries are entries <paramref name="start"/> on.</summary>
    private List<LedgerEntry> UnpackSegment(BsonDocument segment, long start)
    {
        try
        {
            if (!segment["_id"].IsInt64 || segment["_id"].AsInt64 != start)
            {
                // The index files it under start, the document says otherwise: one of the two was changed.
                throw new InvalidDataException($"it says it starts at entry {segment["_id"]}");
            }

            var entries = LedgerSegment.Unpack(segment["data"].AsBinary ?? throw new InvalidDataException("data is missing"), segment["count"].AsInt32);
            for (var index = 0; index < entries.Count; index++)
            {
                // A segment's n-th entry is entry start + n; an entry that says otherwise had its seq changed.
                if (entries[index].Seq != start + index)
                {
                    throw new InvalidDataException($"in the place of entry {start + index} it holds an entry that says it is entry {entries[index].Seq}");
                }
            }

            return entries;
        }
        catch (Exception exception)
        {
            throw new InvalidDataException($"The ledger segment starting at entry {start} in '{Location}' is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>Starts the background sealer when a complete run waits in the tail and none is running.</summary>
    private void ScheduleSealing()
    {
        if (_readOnly || Volatile.Read(ref _tailCount) < LedgerSegment.Size || Interlocked.CompareExchange(ref _sealerRunning, 1, 0) != 0)
        {
            return;
        }

        _sealer = Task.Run(() =>
        {
            try
            {
                SealCompleteSegments();
            }
            catch (Exception)
            {
                // Sealing only repacks entries that are already durable; if it fails the entries stay
                // single documents, which every reader reads. Stop trying rather than fail appends.
                lock (_gate)
                {
                    _sealingStopped = true;
                }
            }
            finally
            {
                Volatile.Write(ref _sealerRunning, 0);
            }
        });
    }

    /// <summary>Moves up to <see cref="SegmentsPerSealTransaction"/> complete runs from the tail into segments, in one transaction; under the gate.</summary>
    private int SealSomeInTransaction()
    {
        if (_sealingStopped || _tailCount < LedgerSegment.Size)
        {
            return 0;
        }

        var segments = new List<(long Start, byte[] Data)>();
        var start = _sealedThrough + 1;
        while (segments.Count < SegmentsPerSealTransaction)
        {
            var end = start + LedgerSegment.Size - 1;
            var documents = Entries().Query().Where(Query.And(Query.GTE("_id", start), Query.LTE("_id", end))).OrderBy("_id").ToList();
            if (documents.Count != LedgerSegment.Size)
            {
                // The run is not complete (or the ledger has a gap, which only verification should report): leave it as it is.
                break;
            }

            byte[] data;
            try
            {
                data = LedgerSegment.Pack([.. documents.Select(ToEntry)]);
            }
            catch (Exception)
            {
                // An entry that cannot be packed without changing a byte stays a single document, and so does everything after it.
                _sealingStopped = true;
                break;
            }

            if (data.Length > MaxSegmentBytes)
            {
                // Entries are at most LedgerFormat.MaxEntryBytes each, so a run of large ones can exceed what one LiteDB
                // document holds: that run stays single documents, and so does everything after it (reads are the same).
                _sealingStopped = true;
                break;
            }

            segments.Add((start, data));
            start = end + 1;
        }

        if (segments.Count == 0)
        {
            return 0;
        }

        CommitDurably(() =>
        {
            foreach (var (segmentStart, data) in segments)
            {
                InsertSegment(segmentStart, data);
                Entries().DeleteMany(Query.And(Query.GTE("_id", segmentStart), Query.LTE("_id", segmentStart + LedgerSegment.Size - 1)));
            }
        });
        _sealedThrough = start - 1;
        _tailCount -= (long)segments.Count * LedgerSegment.Size;
        return segments.Count;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one LiteDB transaction (rolled back if it throws), then forces the log and
    /// the data file to disk: LiteDB's commit only writes the pages, it does not fsync them. Under the gate.
    /// Returns the time inside the transaction (begin to commit, before the fsyncs) in <see cref="System.Diagnostics.Stopwatch"/> ticks.
    /// </summary>
    private long CommitDurably(Action write)
    {
        var transactionStart = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!_database.BeginTrans())
        {
            throw new InvalidOperationException("A ledger transaction is already open on this thread.");
        }

        try
        {
            write();
        }
        catch (Exception exception)
        {
            // Nothing was committed: roll back, and say so, so the ledger can stay writable. If the rollback itself
            // fails the store's state is unknown, and that exception (not a rolled-back one) is what the caller sees.
            _database.Rollback();
            throw new LedgerTransactionRolledBackException($"The ledger '{Location}' rolled back a transaction that failed before its commit: {exception.Message}", exception);
        }

        // A failure from here on (commit, fsync) leaves the store in an unknown state: it is not a rollback.
        _database.Commit();
        AfterCommit?.Invoke();

        var transactionTicks = System.Diagnostics.Stopwatch.GetTimestamp() - transactionStart;
        ((DurableFileStream)_logStream).FlushToDisk();
        _dataStream.FlushToDisk();
        return transactionTicks;
    }

    /// <summary>Writes one sealed segment document (inside the caller's transaction, under the gate): the only way segments are written.</summary>
    private void InsertSegment(long start, byte[] data) =>
        Segments().Insert(new BsonDocument
        {
            ["_id"] = start,
            ["count"] = LedgerSegment.Size,
            ["data"] = data,
        });

    private void WriteBlobInTransaction(BlobWrite blob)
    {
        var headers = _database.GetCollection(BlobsCollection);
        var id = blob.Hash.ToString();
        if (headers.FindById(id) is not null)
        {
            return;
        }

        var chunks = _database.GetCollection(BlobChunksCollection);
        var content = blob.Content;
        var chunkCount = 0;
        for (var offset = 0; offset < content.Length; offset += BlobChunkSize)
        {
            var length = Math.Min(BlobChunkSize, content.Length - offset);
            chunks.Insert(new BsonDocument
            {
                ["_id"] = ChunkId(blob.Hash, chunkCount),
                ["data"] = content.Slice(offset, length).ToArray(),
            });
            chunkCount++;
        }

        headers.Insert(new BsonDocument
        {
            ["_id"] = id,
            ["size"] = (long)content.Length,
            ["chunks"] = chunkCount,
        });
    }

    private static string ChunkId(ContentHash hash, int index) => $"{hash}:{index:D6}";

    /// <summary>
    /// The exact bytes this store writes for <paramref name="entry"/>: its one-entry segment packing when sealed, else its
    /// single document's BSON. The tamper tests search the file for them to flip bits inside a stored entry.
    /// </summary>
    internal static byte[] StoredBytesOf(LedgerEntry entry, bool isSealed) =>
        isSealed ? LedgerSegment.Pack([entry]) : BsonSerializer.Serialize(ToDocument(entry));

    private static BsonDocument ToDocument(LedgerEntry entry) => new()
    {
        ["_id"] = entry.Seq,
        ["kind"] = entry.Kind,
        ["parent"] = entry.Parent.Bytes.ToArray(),
        ["time"] = entry.TimeUnixMilliseconds,
        ["actor"] = entry.Actor,
        ["payload"] = entry.Payload,
        ["hash"] = entry.Hash.Bytes.ToArray(),
    };

    private LedgerEntry ToEntry(BsonDocument? document)
    {
        if (document is null)
        {
            throw new InvalidDataException($"A ledger entry in '{Location}' disappeared while it was read.");
        }

        try
        {
            return new LedgerEntry(
                document["_id"].AsInt64,
                document["kind"].AsString ?? throw new InvalidDataException("kind is missing"),
                ContentHash.FromBytes(document["parent"].AsBinary ?? throw new InvalidDataException("parent is missing")),
                document["time"].AsInt64,
                document["actor"].AsString ?? throw new InvalidDataException("actor is missing"),
                document["payload"].AsBinary ?? throw new InvalidDataException("payload is missing"),
                ContentHash.FromBytes(document["hash"].AsBinary ?? throw new InvalidDataException("hash is missing")));
        }
        catch (Exception exception) when (exception is not InvalidDataException)
        {
            throw new InvalidDataException($"Ledger entry {document["_id"]} in '{Location}' is malformed: {exception.Message}", exception);
        }
    }
}
