// The hash-chained ledger of one workspace: appends entries with their blobs, reads them back.
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// The append-only, hash-chained ledger of one workspace over an <see cref="ILedgerStore"/>.
/// It assigns seq and parent, stamps the time, computes every hash, stores blobs with the entries
/// that reference them, and keeps the signed head anchor current. Concurrent appends are group-committed
/// (one transaction and one fsync per batch); an append returns only after its entries are on stable storage.
/// </summary>
public sealed class WorkspaceLedger : IDisposable
{
    private readonly ILedgerStore _store;
    private readonly TimeProvider _clock;
    private readonly string _keyDirectory;
    private readonly WorkspaceKey _key;
    private readonly Lock _headGate = new();
    private readonly Lock _queueGate = new();
    private readonly List<AppendRequest> _queue = [];
    private LedgerEntry _head;
    private long _groupCommits;
    private bool _writerActive;

    private WorkspaceLedger(ILedgerStore store, TimeProvider clock, string keyDirectory, WorkspaceKey key, LedgerEntry head, GenesisPayload genesis)
    {
        _store = store;
        _clock = clock;
        _keyDirectory = keyDirectory;
        _key = key;
        _head = head;
        Genesis = genesis;
    }

    /// <summary>Raised after each durable append, outside the append lock.</summary>
    public event Action<LedgerEntry>? Appended;

    /// <summary>The genesis payload: workspace id, format version, workspace public key.</summary>
    public GenesisPayload Genesis { get; }

    /// <summary>The workspace id named by genesis.</summary>
    public string WorkspaceId => Genesis.WorkspaceId;

    /// <summary>The newest entry.</summary>
    public LedgerEntry Head
    {
        get
        {
            lock (_headGate)
            {
                return _head;
            }
        }
    }

    /// <summary>The storage behind this ledger.</summary>
    public ILedgerStore Store => _store;

    /// <summary>The workspace signing key (kept outside the workspace).</summary>
    public WorkspaceKey Key => _key;

    /// <summary>The key directory holding the key and the head anchor.</summary>
    public string KeyDirectory => _keyDirectory;

    /// <summary>
    /// Opens the workspace ledger for writing over LiteDB, creating it with a genesis entry if it
    /// is new. Throws <see cref="LedgerLockedException"/> when another writer holds it.
    /// </summary>
    public static WorkspaceLedger Open(LedgerOptions options)
    {
        var store = LiteDbLedgerStore.OpenForWriting(options.ResolvedLedgerPath, options.HolderDescription);
        try
        {
            return Open(store, options);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens a ledger over any writable store (the store is owned by the ledger afterwards).</summary>
    public static WorkspaceLedger Open(ILedgerStore store, LedgerOptions options)
    {
        var keyDirectory = options.KeyDirectory ?? WorkspaceKey.DefaultKeyDirectory();
        var last = store.ReadLast();
        if (last is null)
        {
            var workspaceId = "ws_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var key = WorkspaceKey.LoadOrCreate(keyDirectory, workspaceId);
            var genesis = new GenesisPayload(LedgerFormat.Version, workspaceId, key.PublicKeyHex, LedgerFormat.HashAlgorithm, LedgerFormat.EntryEncoding);
            var entry = LedgerEntry.Create(
                LedgerFormat.GenesisSeq,
                EntryKind.Genesis,
                ContentHash.Zero,
                options.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
                "runtime",
                Serialize(genesis, LedgerJsonContext.Default.GenesisPayload));
            store.Append([entry], []);
            HeadAnchor.Write(keyDirectory, key, workspaceId, entry.Seq, entry.Hash.ToString());
            return new WorkspaceLedger(store, options.Clock, keyDirectory, key, entry, genesis);
        }

        var first = store.Read(LedgerFormat.GenesisSeq)
            ?? throw new InvalidDataException($"The ledger '{store.Location}' has no genesis entry at seq {LedgerFormat.GenesisSeq}. Run verify to see what is wrong.");
        if (first.Kind != EntryKind.Genesis)
        {
            throw new InvalidDataException($"The first entry of ledger '{store.Location}' is '{first.Kind}', not genesis. Run verify to see what is wrong.");
        }

        var existingGenesis = Deserialize(first, LedgerJsonContext.Default.GenesisPayload);
        if (existingGenesis.FormatVersion != LedgerFormat.Version)
        {
            throw new InvalidDataException($"The ledger '{store.Location}' has format version {existingGenesis.FormatVersion}; this OpenThymos reads version {LedgerFormat.Version}. Upgrade OpenThymos.");
        }

        var existingKey = WorkspaceKey.LoadOrCreate(keyDirectory, existingGenesis.WorkspaceId);
        if (existingKey.PublicKeyHex != existingGenesis.WorkspaceKey)
        {
            throw new InvalidDataException(
                $"The workspace key in '{keyDirectory}' does not match the key named by the genesis of '{store.Location}'. "
                + "Point the key directory at the folder that holds this workspace's key (OPENTHYMOS_KEY_DIR).");
        }

        return new WorkspaceLedger(store, options.Clock, keyDirectory, existingKey, last, existingGenesis);
    }

    /// <summary>Appends one entry with its payload and blobs; returns it once durable.</summary>
    public LedgerEntry Append<TPayload>(string kind, string actor, TPayload payload, JsonTypeInfo<TPayload> typeInfo, IReadOnlyList<BlobWrite>? blobs = null) =>
        AppendMany([new PendingEntry(kind, actor, Serialize(payload, typeInfo))], blobs ?? [])[0];

    /// <summary>
    /// Appends several entries atomically (all or none) with their blobs; returns them once durable.
    /// Concurrent callers are group-committed: one caller at a time is the writer; it takes every
    /// request queued so far, writes them in one store transaction with one fsync, and only then
    /// marks each of them done, so no caller returns before its own entries are on stable storage.
    /// Then it hands the writer role to the oldest request that queued up meanwhile.
    /// Each request's entries stay contiguous; requests are chained in the order they were queued.
    /// </summary>
    public IReadOnlyList<LedgerEntry> AppendMany(IReadOnlyList<PendingEntry> pending, IReadOnlyList<BlobWrite> blobs)
    {
        if (pending.Count == 0)
        {
            return [];
        }

        foreach (var item in pending)
        {
            if (!EntryKind.All.Contains(item.Kind) || item.Kind == EntryKind.Genesis)
            {
                throw new ArgumentException($"'{item.Kind}' is not an entry kind that can be appended.", nameof(pending));
            }
        }

        using var request = new AppendRequest(pending, blobs);
        bool writer;
        lock (_queueGate)
        {
            _queue.Add(request);
            writer = !_writerActive;
            _writerActive = true;
        }

        if (!writer)
        {
            // Another caller is writing: wait until it wrote this request with its batch, or handed the writer role to us.
            request.WaitUntilDoneOrPromoted();
        }

        if (!request.IsDone)
        {
            try
            {
                CommitQueuedRequests();
            }
            finally
            {
                HandOffWriterRole();
            }
        }

        if (request.Error is not null)
        {
            ExceptionDispatchInfo.Throw(request.Error);
        }

        foreach (var entry in request.Appended)
        {
            Appended?.Invoke(entry);
        }

        return request.Appended;
    }

    /// <summary>How many store transactions (each one fsync) appends have needed; with concurrent appenders it is below the number of appends.</summary>
    public long GroupCommitCount => Interlocked.Read(ref _groupCommits);

    /// <summary>Requests waiting for the writer (for tests that hold a batch open).</summary>
    internal int QueuedRequestCount
    {
        get
        {
            lock (_queueGate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Called by the writer after its batch: requests that queued up meanwhile get a writer (the oldest
    /// of them), so no caller is left waiting and no caller keeps writing for others indefinitely.
    /// </summary>
    private void HandOffWriterRole()
    {
        lock (_queueGate)
        {
            if (_queue.Count == 0)
            {
                _writerActive = false;
                return;
            }

            _queue[0].Promote();
        }
    }

    /// <summary>Takes every queued request and writes it as one batch; only the current writer calls it.</summary>
    private void CommitQueuedRequests()
    {
        List<AppendRequest> batch;
        lock (_queueGate)
        {
            batch = [.. _queue];
            _queue.Clear();
        }

        if (batch.Count == 0)
        {
            return;
        }

        var stored = false;
        try
        {
            WriteBatch(batch, ref stored);
        }
        catch (Exception) when (batch.Count > 1 && !stored)
        {
            // Nothing of the batch reached the store (its transaction rolled back): write each request
            // alone so that one bad request fails only its own caller.
            foreach (var request in batch)
            {
                var storedAlone = false;
                try
                {
                    WriteBatch([request], ref storedAlone);
                }
                catch (Exception exception)
                {
                    request.Fail(exception);
                }
            }
        }
        catch (Exception exception)
        {
            foreach (var request in batch)
            {
                request.Fail(exception);
            }
        }
    }

    /// <summary>Chains, hashes and stores a batch in one durable transaction, then completes its requests.</summary>
    private void WriteBatch(IReadOnlyList<AppendRequest> batch, ref bool stored)
    {
        var parent = Head;
        var time = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var entries = new List<LedgerEntry>();
        var blobs = new Dictionary<ContentHash, BlobWrite>();
        var perRequest = new List<LedgerEntry>[batch.Count];
        for (var index = 0; index < batch.Count; index++)
        {
            perRequest[index] = new List<LedgerEntry>(batch[index].Pending.Count);
            foreach (var item in batch[index].Pending)
            {
                var entry = LedgerEntry.Create(parent.Seq + 1, item.Kind, parent.Hash, time, item.Actor, item.Payload);
                entries.Add(entry);
                perRequest[index].Add(entry);
                parent = entry;
            }

            foreach (var blob in batch[index].Blobs)
            {
                blobs.TryAdd(blob.Hash, blob);
            }
        }

        // Returns only once the transaction is on stable storage; that is what makes completing the requests below safe.
        _store.Append(entries, [.. blobs.Values]);
        stored = true;
        Interlocked.Increment(ref _groupCommits);
        lock (_headGate)
        {
            _head = parent;
        }

        HeadAnchor.Write(_keyDirectory, _key, WorkspaceId, parent.Seq, parent.Hash.ToString());
        for (var index = 0; index < batch.Count; index++)
        {
            batch[index].Complete(perRequest[index]);
        }
    }

    /// <summary>Entries from seq <paramref name="fromSeq"/> to the head (or <paramref name="toSeq"/>), ascending.</summary>
    public IEnumerable<LedgerEntry> Read(long fromSeq = LedgerFormat.GenesisSeq, long toSeq = long.MaxValue) =>
        _store.ReadRange(fromSeq, toSeq);

    /// <summary>One entry, or null.</summary>
    public LedgerEntry? Read(long seq) => _store.Read(seq);

    /// <summary>A stored blob, or null.</summary>
    public byte[]? ReadBlob(ContentHash hash) => _store.ReadBlob(hash);

    /// <summary>Serializes a payload to canonical JSON bytes.</summary>
    public static byte[] Serialize<TPayload>(TPayload payload, JsonTypeInfo<TPayload> typeInfo) =>
        CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(payload, typeInfo));

    /// <summary>Reads an entry's payload as the given type.</summary>
    public static TPayload Deserialize<TPayload>(LedgerEntry entry, JsonTypeInfo<TPayload> typeInfo) =>
        JsonSerializer.Deserialize(entry.Payload, typeInfo)
            ?? throw new InvalidDataException($"Entry {entry.Seq} ({entry.Kind}) has an empty payload.");

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();
}

/// <summary>An entry waiting to be appended: kind, actor and canonical payload bytes.</summary>
/// <param name="Kind">The entry kind.</param>
/// <param name="Actor">Who caused it.</param>
/// <param name="Payload">Canonical JSON payload bytes.</param>
public sealed record PendingEntry(string Kind, string Actor, byte[] Payload)
{
    /// <summary>Builds a pending entry from a typed payload.</summary>
    public static PendingEntry Of<TPayload>(string kind, string actor, TPayload payload, JsonTypeInfo<TPayload> typeInfo) =>
        new(kind, actor, WorkspaceLedger.Serialize(payload, typeInfo));
}
