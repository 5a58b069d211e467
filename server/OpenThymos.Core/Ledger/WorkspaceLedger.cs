// The hash-chained ledger of one workspace: appends entries with their blobs, reads them back.
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// The append-only, hash-chained ledger of one workspace over an <see cref="ILedgerStore"/>.
/// It assigns seq and parent, stamps the time, computes every hash, stores blobs with the entries
/// that reference them, and keeps the signed head anchor current (in the background, never ahead of the
/// durable head). Appends are staged (placed in the chain, in order) and then written: everything staged
/// while another batch is being written goes into the next single transaction and fsync (group commit);
/// an append is acknowledged only after its entries are on stable storage.
/// </summary>
public sealed class WorkspaceLedger : IDisposable
{
    private readonly ILedgerStore _store;
    private readonly TimeProvider _clock;
    private readonly string _keyDirectory;
    private readonly WorkspaceKey _key;
    private readonly Lock _headGate = new();
    private readonly object _queueGate = new(); // a Monitor, not a Lock: writers wait on it for the batch in progress
    private readonly List<AppendRequest> _queue = [];
    private readonly Dictionary<long, long> _durableSeqAtRollback = [];
    private List<AppendRequest> _writing = [];
    private readonly HeadAnchorWriter _anchor;
    private LedgerEntry _head;
    private LedgerEntry _stagedHead;
    private long _durableSeq;
    private long _groupCommits;
    private bool _writerActive;
    private bool _rollbackPending;
    private long _epoch;
    private Exception? _fault;

    private WorkspaceLedger(ILedgerStore store, ILedgerStoreFactory stores, TimeProvider clock, string keyDirectory, string stateDirectory, WorkspaceKey key, LedgerEntry head, GenesisPayload genesis)
    {
        _store = store;
        Stores = stores;
        _clock = clock;
        _keyDirectory = keyDirectory;
        _key = key;
        _head = head;
        _stagedHead = head;
        _durableSeq = head.Seq;
        Genesis = genesis;
        StateDirectory = stateDirectory;
        _anchor = new HeadAnchorWriter(keyDirectory, stateDirectory, key, genesis.WorkspaceId);
    }

    /// <summary>Raised for each entry once it is durable, in ledger order, on the thread that wrote its batch.</summary>
    public event Action<LedgerEntry>? Appended;

    /// <summary>The genesis payload: workspace id, format version, workspace public key.</summary>
    public GenesisPayload Genesis { get; }

    /// <summary>The backend this ledger was opened with: whoever opens another ledger beside it (to tell a copied workspace) opens it the same way.</summary>
    public ILedgerStoreFactory Stores { get; }

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

    /// <summary>The <c>ledger.rollback-accepted</c> entry this open appended (only with <see cref="LedgerOptions.AcceptRestoredLedger"/>), else null.</summary>
    public LedgerEntry? AcceptedRollback { get; private set; }

    /// <summary>The state folder holding the head witness (outside the workspace and the key folder).</summary>
    public string StateDirectory { get; }

    /// <summary>
    /// Opens the workspace ledger for writing through <see cref="LedgerOptions.StoreFactory"/>, creating it with a genesis entry if it
    /// is new. Throws <see cref="LedgerLockedException"/> when another writer holds it,
    /// <see cref="WorkspaceCopiedException"/> when the folder holds a copy of another folder's workspace, and
    /// <see cref="LedgerRolledBackException"/> when the ledger is behind its signed head anchor or witness.
    /// </summary>
    public static WorkspaceLedger Open(LedgerOptions options)
    {
        PrepareOwnerOnlyFiles(options);
        var store = options.StoreFactory.OpenForWriting(options.ResolvedLedgerPath, options.HolderDescription);
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

    /// <summary>
    /// Makes the ledger's folder (when it is the workspace's <c>.thymos</c>) and its staging folder 0700, and creates the
    /// ledger's files (<see cref="ILedgerStoreFactory.FilesOf"/>), its lock and holder files as 0600 before the store opens them (it would create them with the umask's
    /// mode); files an older version left wider are narrowed. No content is written before the modes are owner-only.
    /// </summary>
    private static void PrepareOwnerOnlyFiles(LedgerOptions options)
    {
        var ledgerPath = Path.GetFullPath(options.ResolvedLedgerPath);
        var folder = Path.GetDirectoryName(ledgerPath)!;
        if (Path.GetFileName(folder) == ".thymos")
        {
            OwnerOnly.CreateFolder(folder);
            OwnerOnly.CreateFolder(Path.Combine(folder, "staging"));
            OwnerOnly.Narrow(Path.Combine(folder, "applied-through"), OwnerOnly.FileMode);
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        foreach (var path in options.StoreFactory.FilesOf(ledgerPath).Concat([ledgerPath + ".lock", ledgerPath + ".holder"]))
        {
            OwnerOnly.CreateFile(path);
        }
    }

    /// <summary>Opens a ledger over any writable store (the store is owned by the ledger afterwards).</summary>
    public static WorkspaceLedger Open(ILedgerStore store, LedgerOptions options)
    {
        var keyDirectory = options.KeyDirectory ?? WorkspaceKey.DefaultKeyDirectory();
        var stateDirectory = options.StateDirectory ?? HeadWitness.DefaultStateDirectory(keyDirectory);
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
            WorkspaceFolderBinding.Claim(keyDirectory, workspaceId, options.WorkspaceRoot, options.StoreFactory);
            var anchor = HeadAnchor.Sign(key, workspaceId, entry.Seq, entry.Hash.ToString());
            anchor.WriteTo(HeadAnchor.PathFor(keyDirectory, workspaceId));
            HeadWitness.Write(stateDirectory, anchor);
            return new WorkspaceLedger(store, options.StoreFactory, options.Clock, keyDirectory, stateDirectory, key, entry, genesis);
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

        // A copied .thymos/ must not act as (and on the files of) the workspace it was copied from.
        WorkspaceFolderBinding.Claim(keyDirectory, existingGenesis.WorkspaceId, options.WorkspaceRoot, options.StoreFactory);

        // Never append behind the head recorded outside the workspace: that would pass a restored ledger off as honest.
        var rollback = FindRollback(store, last, existingGenesis, keyDirectory, stateDirectory, options.WorkspaceRoot);
        if (rollback is not null && !options.AcceptRestoredLedger)
        {
            throw rollback;
        }

        var ledger = new WorkspaceLedger(store, options.StoreFactory, options.Clock, keyDirectory, stateDirectory, existingKey, last, existingGenesis);
        if (rollback is not null)
        {
            ledger.AcceptedRollback = ledger.Append(EntryKind.RollbackAccepted, "operator", new RollbackAcceptedPayload(
                rollback.RecordedSeq, rollback.RecordedHash, rollback.RecordedIn, rollback.HeadSeq, rollback.HeadHash, rollback.Message),
                LedgerJsonContext.Default.RollbackAcceptedPayload);
            ledger.FlushHeadAnchor();
        }

        return ledger;
    }

    /// <summary>
    /// Compares the ledger with the signed head anchor (key folder) and witness (state folder): the refusal to give
    /// when the ledger ends before a recorded head or holds another entry at its seq, else null. A record that is
    /// missing, unreadable or not signed by this workspace's key vouches for nothing here (verify reports it).
    /// </summary>
    private static LedgerRolledBackException? FindRollback(ILedgerStore store, LedgerEntry last, GenesisPayload genesis, string keyDirectory, string stateDirectory, string workspaceRoot)
    {
        var records = new List<(HeadAnchor Record, string Path, string Name)>();
        foreach (var (path, name) in new[]
        {
            (HeadAnchor.PathFor(keyDirectory, genesis.WorkspaceId), "head anchor"),
            (HeadWitness.PathFor(stateDirectory, genesis.WorkspaceId), "head witness"),
        })
        {
            try
            {
                if (HeadAnchor.ReadFrom(path) is { } record && record.WorkspaceId == genesis.WorkspaceId && record.IsSignedBy(genesis.WorkspaceKey))
                {
                    records.Add((record, path, name));
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
            }
        }

        foreach (var (record, path, name) in records.OrderByDescending(r => r.Record.Seq))
        {
            string? found = null;
            if (last.Seq < record.Seq)
            {
                found = $"it ends at entry {last.Seq} ({Short(last.Hash.ToString())}), but the signed {name} '{path}' records entry {record.Seq} ({Short(record.Hash)})";
            }
            else if (store.Read(record.Seq) is not { } entry || entry.Hash.ToString() != record.Hash)
            {
                found = $"its entry {record.Seq} is not the entry {Short(record.Hash)} that the signed {name} '{path}' records (its head is entry {last.Seq}, {Short(last.Hash.ToString())})";
            }

            if (found is null)
            {
                continue;
            }

            var root = WorkspaceFolderBinding.Normalize(workspaceRoot);
            // The key folder is named only when it is not the one `thymos` finds by itself, so the command is short where it can be.
            var command = $"thymos accept-restored --workspace {ShellQuoting.Quote(root)}"
                + (Path.GetFullPath(keyDirectory) == Path.GetFullPath(WorkspaceKey.DefaultKeyDirectory()) ? "" : $" --key-dir {ShellQuoting.Quote(Path.GetFullPath(keyDirectory))}");
            return new LedgerRolledBackException(
                $"The ledger '{store.Location}' is behind the head recorded outside the workspace: {found}. "
                + "It was restored from an older copy or its newest entries were removed, so approved work recorded after it is missing. Nothing was written. "
                + $"Put back the newest ledger.db and ledger-log.db in '{Path.GetDirectoryName(store.Location)}' if you have them; if you restored this copy on purpose, run "
                + $"`{command}` (with no sidecar running on the folder): it records the rollback in the ledger (a ledger.rollback-accepted entry naming entry {record.Seq} as lost) "
                + $"and work goes on from entry {last.Seq}; what was recorded after entry {last.Seq} is not brought back.",
                store.Location, last.Seq, last.Hash.ToString(), record.Seq, record.Hash, path)
            {
                AcceptCommand = command,
            };
        }

        return null;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    /// <summary>Appends one entry with its payload and blobs; returns it once durable.</summary>
    public LedgerEntry Append<TPayload>(string kind, string actor, TPayload payload, JsonTypeInfo<TPayload> typeInfo, IReadOnlyList<BlobWrite>? blobs = null) =>
        AppendMany([new PendingEntry(kind, actor, Serialize(payload, typeInfo))], blobs ?? [])[0];

    /// <summary>
    /// Appends several entries atomically (all or none) with their blobs; returns them once durable.
    /// It is <see cref="Stage(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite})"/> followed by <see cref="WaitUntilDurable(long)"/>: concurrent callers share
    /// one store transaction and one fsync, and no caller returns before its own entries are on stable storage.
    /// </summary>
    public IReadOnlyList<LedgerEntry> AppendMany(IReadOnlyList<PendingEntry> pending, IReadOnlyList<BlobWrite> blobs)
    {
        var staged = Stage(pending, blobs);
        if (staged.Count > 0)
        {
            WaitUntilDurable(staged[^1].Seq);
        }

        return staged;
    }

    /// <summary>
    /// Gives the entries their place in the chain now (seq, parent, time, hash) and queues them with
    /// their blobs for the next store transaction, without waiting for it. The entries are NOT durable
    /// when this returns: a caller may fold them into its own state (so that later decisions see them,
    /// in ledger order) but must call <see cref="WaitUntilDurable(long)"/> before it acknowledges anything
    /// that depends on them. Staging order is ledger order; each call's entries stay contiguous.
    /// </summary>
    public IReadOnlyList<LedgerEntry> Stage(IReadOnlyList<PendingEntry> pending, IReadOnlyList<BlobWrite> blobs) =>
        Stage(_ => pending, blobs);

    /// <summary>
    /// As <see cref="Stage(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite})"/>, for entries whose
    /// payload names the seq the first of them will get (a commit names its approval's seq); the
    /// builder runs under the staging lock, so keep it short.
    /// </summary>
    public IReadOnlyList<LedgerEntry> Stage(Func<long, IReadOnlyList<PendingEntry>> pendingFromFirstSeq, IReadOnlyList<BlobWrite> blobs)
    {
        lock (_queueGate)
        {
            ThrowIfFaulted();
            if (_rollbackPending)
            {
                throw new LedgerWriteRolledBackException(
                    $"The ledger '{_store.Location}' rolled back entries after {_stagedHead.Seq}; its owner must fold its state from the durable entries (AcknowledgeRollback) before staging more.", null);
            }

            var pending = pendingFromFirstSeq(_stagedHead.Seq + 1);
            if (pending.Count == 0)
            {
                return [];
            }

            foreach (var item in pending)
            {
                if (!EntryKind.All.Contains(item.Kind) || item.Kind == EntryKind.Genesis)
                {
                    throw new ArgumentException($"'{item.Kind}' is not an entry kind that can be appended.", nameof(pendingFromFirstSeq));
                }

                // Checked before anything is staged: an entry too large for the store must never reach it.
                var size = CanonicalEntryEncoding.EncodedLength(item.Kind, item.Actor, item.Payload);
                if (size > LedgerFormat.MaxEntryBytes)
                {
                    throw new LedgerEntryTooLargeException(item.Kind, size);
                }
            }

            var time = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var entries = new LedgerEntry[pending.Count];
            var parent = _stagedHead;
            for (var index = 0; index < pending.Count; index++)
            {
                parent = LedgerEntry.Create(parent.Seq + 1, pending[index].Kind, parent.Hash, time, pending[index].Actor, pending[index].Payload);
                entries[index] = parent;
            }

            _queue.Add(new AppendRequest(entries, blobs));
            _stagedHead = parent;
            return entries;
        }
    }

    /// <summary>
    /// The newest staged entry's seq and the staging epoch it belongs to (the epoch advances at each rollback, when
    /// seqs after the durable head are given out again); <see cref="WaitUntilDurable(long, long)"/> takes both.
    /// </summary>
    public (long Epoch, long Seq) StagedPosition
    {
        get
        {
            lock (_queueGate)
            {
                return (_epoch, _stagedHead.Seq);
            }
        }
    }

    /// <summary>
    /// True after a store transaction was rolled back, until <see cref="AcknowledgeRollback"/>: staging is refused
    /// meanwhile, because whoever folded the rolled-back entries into its state must fold it again first.
    /// </summary>
    public bool RollbackPending
    {
        get
        {
            lock (_queueGate)
            {
                return _rollbackPending;
            }
        }
    }

    /// <summary>
    /// Says the owner's state no longer holds anything the last rollback discarded (it was folded again from the
    /// durable entries); staging is accepted again, continuing after the durable head.
    /// </summary>
    public void AcknowledgeRollback()
    {
        lock (_queueGate)
        {
            _rollbackPending = false;
        }
    }

    /// <summary>True once a write failed in a way that leaves the store in an unknown state: the ledger takes no more appends until it is reopened.</summary>
    public bool IsFaulted
    {
        get
        {
            lock (_queueGate)
            {
                return _fault is not null;
            }
        }
    }

    /// <summary>The newest staged entry's seq (durable or not); waiting for it makes everything staged so far durable.</summary>
    public long StagedSeq
    {
        get
        {
            lock (_queueGate)
            {
                return _stagedHead.Seq;
            }
        }
    }

    /// <summary>
    /// Returns once every entry up to <paramref name="seq"/> is on stable storage. Group commit: if no
    /// writer is busy the caller becomes the writer and writes everything staged so far in one store
    /// transaction (one fsync); callers that arrive while it writes wait, and the next of them to wake
    /// writes whatever queued up meanwhile. Throws when the transaction holding the entries failed.
    /// </summary>
    public void WaitUntilDurable(long seq) => WaitUntilDurable(seq, StagedPosition.Epoch);

    /// <summary>
    /// As <see cref="WaitUntilDurable(long)"/> for entries staged in <paramref name="epoch"/> (see <see cref="StagedPosition"/>).
    /// Throws <see cref="LedgerWriteRolledBackException"/> when the transaction holding them (or one they were chained
    /// to) was rolled back: nothing of them was stored, and the ledger stays writable.
    /// </summary>
    public void WaitUntilDurable(long seq, long epoch)
    {
        List<AppendRequest> batch;
        lock (_queueGate)
        {
            while (true)
            {
                if (epoch != _epoch)
                {
                    // A rollback ended the epoch these entries were staged in: those at or below what was durable then are stored.
                    if (_durableSeqAtRollback.TryGetValue(epoch, out var durableThen) && seq <= durableThen)
                    {
                        return;
                    }

                    throw new LedgerWriteRolledBackException(
                        $"Entry {seq} was not recorded in the ledger '{_store.Location}': the transaction that held it was rolled back. Nothing of it is in the ledger, which stays writable; try again.", null);
                }

                if (_durableSeq >= seq)
                {
                    return;
                }

                ThrowIfFaulted();
                if (!_writerActive)
                {
                    break;
                }

                Monitor.Wait(_queueGate);
            }

            _writerActive = true;
            batch = [.. _queue];
            _queue.Clear();
            _writing = batch;
        }

        Exception? failure = null;
        try
        {
            WriteBatch(batch);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        lock (_queueGate)
        {
            _writerActive = false;
            _writing = [];
            if (failure is null)
            {
                _durableSeq = batch.Count == 0 ? _durableSeq : batch[^1].Entries[^1].Seq;
            }
            else if (failure is LedgerTransactionRolledBackException)
            {
                // Nothing of the batch was stored and the store is usable: discard the batch and everything staged
                // after it (chained to it), and give out the seqs after the durable head again in a new epoch. Whoever
                // folded the discarded entries must fold again before staging (RollbackPending).
                _durableSeqAtRollback[_epoch] = _durableSeq;
                _epoch++;
                _queue.Clear();
                lock (_headGate)
                {
                    _stagedHead = _head;
                }

                _rollbackPending = true;
                failure = new LedgerWriteRolledBackException(
                    $"The ledger '{_store.Location}' could not store entries {batch[0].Entries[0].Seq} to {batch[^1].Entries[^1].Seq} ({failure.InnerException?.Message ?? failure.Message}). "
                    + "The transaction was rolled back: nothing of it is in the ledger, which stays writable.",
                    failure);
            }
            else
            {
                // Every entry staged after the failed ones is chained to them, and a store whose
                // transaction (or fsync) failed is in an unknown state: stop accepting appends. Callers
                // that folded staged entries into their state must not go on; reopening recovers.
                _fault = failure;
                _queue.Clear();
            }

            Monitor.PulseAll(_queueGate);
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (batch.Count > 0)
        {
            _anchor.Advance(Head);
        }
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

    /// <summary>Writes the head anchor for the newest durable entry now (it is otherwise written in the background).</summary>
    public void FlushHeadAnchor() => _anchor.Flush();

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
        {
            throw new IOException(
                $"The ledger '{_store.Location}' refused further appends because an earlier write failed ({_fault.Message}). "
                + "Nothing after that write was acknowledged. Restart OpenThymos; it reopens the ledger from what is on disk.",
                _fault);
        }
    }

    /// <summary>Stores a batch in one durable transaction, then announces its entries in ledger order.</summary>
    private void WriteBatch(IReadOnlyList<AppendRequest> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var entries = new List<LedgerEntry>();
        var blobs = new Dictionary<ContentHash, BlobWrite>();
        foreach (var request in batch)
        {
            entries.AddRange(request.Entries);
            foreach (var blob in request.Blobs)
            {
                blobs.TryAdd(blob.Hash, blob);
            }
        }

        // Returns only once the transaction is on stable storage; that is what makes announcing the entries below safe.
        _store.Append(entries, [.. blobs.Values]);
        Interlocked.Increment(ref _groupCommits);
        lock (_headGate)
        {
            _head = entries[^1];
        }

        foreach (var entry in entries)
        {
            Appended?.Invoke(entry);
        }
    }

    /// <summary>Entries from seq <paramref name="fromSeq"/> to the head (or <paramref name="toSeq"/>), ascending.</summary>
    public IEnumerable<LedgerEntry> Read(long fromSeq = LedgerFormat.GenesisSeq, long toSeq = long.MaxValue) =>
        _store.ReadRange(fromSeq, toSeq);

    /// <summary>One entry, or null.</summary>
    public LedgerEntry? Read(long seq) => _store.Read(seq);

    /// <summary>A blob by hash, or null: one staged with entries that are not yet durable, else a stored one.</summary>
    public byte[]? ReadBlob(ContentHash hash)
    {
        lock (_queueGate)
        {
            foreach (var request in _writing.Concat(_queue))
            {
                foreach (var blob in request.Blobs)
                {
                    if (blob.Hash == hash)
                    {
                        return blob.Content.ToArray();
                    }
                }
            }
        }

        return _store.ReadBlob(hash);
    }

    /// <summary>Serializes a payload to canonical JSON bytes.</summary>
    public static byte[] Serialize<TPayload>(TPayload payload, JsonTypeInfo<TPayload> typeInfo) =>
        CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(payload, typeInfo));

    /// <summary>Reads an entry's payload as the given type.</summary>
    public static TPayload Deserialize<TPayload>(LedgerEntry entry, JsonTypeInfo<TPayload> typeInfo) =>
        JsonSerializer.Deserialize(entry.Payload, typeInfo)
            ?? throw new InvalidDataException($"Entry {entry.Seq} ({entry.Kind}) has an empty payload.");

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            // Entries staged but never waited for (a caller failed between staging and waiting) are written now.
            if (_fault is null && StagedSeq > Head.Seq)
            {
                WaitUntilDurable(StagedSeq);
            }
        }
        finally
        {
            _anchor.Dispose();
            _store.Dispose();
        }
    }
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
