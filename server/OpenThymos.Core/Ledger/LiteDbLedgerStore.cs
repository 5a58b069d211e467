// The default ledger store: one LiteDB file per workspace, fsynced before every acknowledgement.
using LiteDB;
using LiteDB.Engine;
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Keeps entries in the LiteDB collection <c>entries</c> (<c>_id</c> = seq) and blobs chunked in
/// <c>blobs</c> and <c>blob_chunks</c>. LiteDB is opened over <see cref="DurableFileStream"/>s so the
/// log is fsynced after each commit: LiteDB 5.0.21 alone only fsyncs at checkpoints.
/// A writable store takes the single-writer lock; a read-only store takes no lock and never writes.
/// </summary>
public sealed class LiteDbLedgerStore : ILedgerStore
{
    /// <summary>Blobs are split into chunks of this size because a LiteDB document is limited to 16 MB.</summary>
    public const int BlobChunkSize = 1 << 20;

    private const string EntriesCollection = "entries";
    private const string BlobsCollection = "blobs";
    private const string BlobChunksCollection = "blob_chunks";

    private readonly DurableFileStream _dataStream;
    private readonly Stream _logStream;
    private readonly LiteDatabase _database;
    private readonly LedgerWriterLock? _writerLock;
    private readonly Lock _gate = new();
    private readonly bool _readOnly;
    private long _durableSeq;

    private LiteDbLedgerStore(string path, bool readOnly, LedgerWriterLock? writerLock)
    {
        Location = path;
        _readOnly = readOnly;
        _writerLock = writerLock;
        _dataStream = new DurableFileStream(path, readOnly);
        // A cleanly closed ledger has no log file; a reader then needs an empty one, not a new file on disk.
        _logStream = readOnly && !File.Exists(LogPathOf(path)) ? new MemoryStream([], writable: false) : new DurableFileStream(LogPathOf(path), readOnly);
        var engine = new LiteEngine(new EngineSettings
        {
            DataStream = _dataStream,
            LogStream = _logStream,
            ReadOnly = readOnly,
            AutoRebuild = false,
        });
        _database = new LiteDatabase(engine, disposeOnClose: true);
        if (!readOnly)
        {
            _database.GetCollection(EntriesCollection).EnsureIndex("kind");
            _database.GetCollection(EntriesCollection).EnsureIndex("actor");
            _database.Checkpoint();
            _dataStream.FlushToDisk();
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>fsync calls made on the LiteDB log file (one per acknowledged append).</summary>
    public long LogFsyncCount => (_logStream as DurableFileStream)?.FsyncCount ?? 0;

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
    public static LiteDbLedgerStore OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no ledger at '{path}'. Open the workspace with OpenThymos first, or pass the right ledger path.", path);
        }

        return new LiteDbLedgerStore(path, readOnly: true, writerLock: null);
    }

    /// <inheritdoc />
    public LedgerEntry? ReadLast()
    {
        lock (_gate)
        {
            var document = Entries().Query().OrderByDescending("_id").Limit(1).FirstOrDefault();
            return document is null ? null : ToEntry(document);
        }
    }

    /// <inheritdoc />
    public LedgerEntry? Read(long seq)
    {
        lock (_gate)
        {
            var document = Entries().FindById(seq);
            return document is null ? null : ToEntry(document);
        }
    }

    /// <inheritdoc />
    public IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq)
    {
        // Read in pages so a long ledger streams without holding the gate across the caller's work.
        const int PageSize = 512;
        var after = fromSeq - 1;
        while (after < toSeq)
        {
            List<LedgerEntry> page;
            lock (_gate)
            {
                page = Entries().Query()
                    .Where(Query.And(Query.GT("_id", after), Query.LTE("_id", toSeq)))
                    .OrderBy("_id")
                    .Limit(PageSize)
                    .ToEnumerable()
                    .Select(ToEntry)
                    .ToList();
            }

            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            after = page[^1].Seq;
        }
    }

    /// <inheritdoc />
    public long MaxSeq()
    {
        lock (_gate)
        {
            var top = Entries().Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
            return top is null ? 0 : top["_id"].AsInt64;
        }
    }

    /// <inheritdoc />
    public long Count()
    {
        lock (_gate)
        {
            return Entries().LongCount();
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
            if (!_database.BeginTrans())
            {
                throw new InvalidOperationException("A ledger transaction is already open on this thread.");
            }

            try
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

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            // The commit's pages are written to the log but not yet forced to disk; do it before returning,
            // because returning is the acknowledgement.
            ((DurableFileStream)_logStream).FlushToDisk();
            _dataStream.FlushToDisk();
            if (entries.Count > 0)
            {
                Interlocked.Exchange(ref _durableSeq, entries[^1].Seq);
            }
        }
    }

    /// <inheritdoc />
    public bool ContainsBlob(ContentHash hash)
    {
        lock (_gate)
        {
            return _database.GetCollection(BlobsCollection).FindById(hash.ToString()) is not null;
        }
    }

    /// <inheritdoc />
    public byte[]? ReadBlob(ContentHash hash)
    {
        lock (_gate)
        {
            var header = _database.GetCollection(BlobsCollection).FindById(hash.ToString());
            if (header is null)
            {
                return null;
            }

            var size = header["size"].AsInt64;
            var chunkCount = header["chunks"].AsInt32;
            var content = new byte[size];
            var chunks = _database.GetCollection(BlobChunksCollection);
            long offset = 0;
            for (var index = 0; index < chunkCount; index++)
            {
                var chunk = chunks.FindById(ChunkId(hash, index))
                    ?? throw new InvalidDataException($"Blob {hash} in '{Location}' is missing chunk {index} of {chunkCount}.");
                var data = chunk["data"].AsBinary;
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
    }

    /// <inheritdoc />
    public IEnumerable<ContentHash> ListBlobs()
    {
        List<ContentHash> hashes;
        lock (_gate)
        {
            hashes = _database.GetCollection(BlobsCollection).Query().Select("_id").ToEnumerable()
                .Select(document => ContentHash.TryParse(document["_id"].AsString, out var hash) ? hash : ContentHash.Zero)
                .ToList();
        }

        return hashes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _database.Dispose();
            _dataStream.Dispose();
            _logStream.Dispose();
            _writerLock?.Dispose();
        }
    }

    private ILiteCollection<BsonDocument> Entries() => _database.GetCollection(EntriesCollection);

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

    private LedgerEntry ToEntry(BsonDocument document)
    {
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
