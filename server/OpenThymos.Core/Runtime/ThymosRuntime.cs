// The governed runtime of one workspace: the agent proposes, the runtime decides, the ledger remembers.
using System.Diagnostics;
using System.Security.Cryptography;
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Compiles intents into proposals under writs and the workspace policy, applies approved hunks
/// atomically, and records every event in the workspace ledger. All state is folded from the ledger,
/// so reopening after a crash or restart restores pending proposals exactly; approvals that were
/// interrupted are finished or rolled back at open. Operations are serialized by one lock: the
/// ledger has a single writer and decisions must see each other's effects.
/// Group commit across operations: under the lock an operation STAGES its entries (they get their seq,
/// so ledger order is lock order) and folds them into the state at once, so the next operation sees
/// them; it waits for them to be durable only after releasing the lock, so operations of many agents
/// share one fsync. Nothing is acknowledged (returned, or announced by <see cref="ProposalChanged"/>)
/// before it is durable, and readers (<see cref="GetProposal"/>, <see cref="ListProposals"/>) wait
/// until everything they could have seen is durable. An approval waits for its commit to be durable
/// inside the lock, because its files may only change once the commit that can redo them is durable.
/// </summary>
public sealed partial class ThymosRuntime : IDisposable
{
    private readonly Lock _gate = new();

    /// <summary>
    /// How often an operation that computes outside the lock (a submission's compile, a rebase, an amendment, a revert's
    /// plan) computes again when another operation overtook it before it gives up: a submission is then refused as
    /// stale, an approval, amendment or revert refused with a message to try again, and a watcher's rebase left for the
    /// next observation. Nothing is ever computed under the lock instead, so no operation can hold readers up.
    /// </summary>
    private const int AttemptsOutsideTheLock = 4;
    private readonly WorkspaceLedger _ledger;
    private RuntimeState _state;
    private readonly IntentCompiler _compiler;
    private readonly AtomicApplier _applier;
    private readonly RuntimeOptions _options;
    private readonly DeferredFileSync _fileSync;
    private readonly List<string> _changedProposals = [];
    private readonly RefusalWindows _refusals = new();
    private ITimer? _refusalTimer;
    private WorkspacePolicy _policy = WorkspacePolicy.Default;
    private RuntimeError? _policyError;
    private int _disposed;
    private int _ledgerFailed;
    private long _lockHolds;
    private long _lockHeldTicks;

    private ThymosRuntime(WorkspaceLedger ledger, RuntimeOptions options)
    {
        _ledger = ledger;
        _state = new RuntimeState(LedgerLookup.Of(ledger));
        _options = options;
        WorkspaceRoot = Path.GetFullPath(options.WorkspaceRoot);
        _applier = new AtomicApplier(WorkspaceRoot);
        _compiler = new IntentCompiler(_applier.Workspace);
        _fileSync = new DeferredFileSync(_applier);
        _ledger.Appended += OnAppended;
    }

    /// <summary>Raised for each ledger entry once it is durable, in ledger order (on the thread that wrote its batch, possibly inside the runtime's lock: keep handlers short).</summary>
    public event Action<LedgerEntry>? Appended;

    /// <summary>
    /// Raised once when the ledger cannot go on: a write failed in a way that leaves the store in an unknown state
    /// (a commit or fsync that failed, a rollback that failed), or the state could not be folded again after a
    /// rollback. Every later operation fails; the process should exit so that it is restarted and the ledger reopened
    /// from what is on disk (the sidecar exits with code 4). The argument says what happened.
    /// </summary>
    public event Action<string>? LedgerFailed;

    /// <summary>Raised when a proposal was staged, revised or decided (argument: proposal id), after the entries are durable and outside the runtime's lock.</summary>
    public event Action<string>? ProposalChanged;

    /// <summary>The workspace folder (full path).</summary>
    public string WorkspaceRoot { get; }

    /// <summary>The handle on the workspace root through which every workspace file is read, listed and written.</summary>
    public WorkspaceDirectory Workspace => _applier.Workspace;

    /// <summary>The workspace ledger.</summary>
    public WorkspaceLedger Ledger => _ledger;

    /// <summary>The folded state. Read it under no assumption of stability between calls.</summary>
    public RuntimeState State => _state;

    /// <summary>The policy in force: the one the last <c>policy.changed</c> entry recorded (see <see cref="AdoptPolicy"/>).</summary>
    public WorkspacePolicy Policy
    {
        get
        {
            lock (_gate)
            {
                return _policy;
            }
        }
    }

    /// <summary>The applier, for tests that need to interrupt an apply part-way.</summary>
    internal AtomicApplier Applier => _applier;

    /// <summary>
    /// How often operations took the runtime's lock and how long they held it in total: with many agents the
    /// lock is what serializes them, so the mean hold time bounds throughput (the bench reports it).
    /// </summary>
    internal LockHoldStatistics LockHolds
    {
        get
        {
            lock (_gate)
            {
                return new LockHoldStatistics(_lockHolds, Stopwatch.GetElapsedTime(0, _lockHeldTicks));
            }
        }
    }

    /// <summary>The background file syncer, for tests that hold the applied-through mark back.</summary>
    internal DeferredFileSync FileSync => _fileSync;

    /// <summary>
    /// Opens the workspace: takes the ledger as its only writer, folds every entry, finishes or rolls
    /// back approvals a crash interrupted, and takes the policy in force from the ledger (on the first open,
    /// records the policy file found as the initial policy).
    /// </summary>
    /// <exception cref="WorkspaceKeyException">The key folder lies inside the workspace, where an agent's shell could reach the operator token and the key.</exception>
    public static ThymosRuntime Open(RuntimeOptions options)
    {
        RefuseKeyDirectoryInsideWorkspace(options.WorkspaceRoot, options.Ledger.KeyDirectory ?? WorkspaceKey.DefaultKeyDirectory());
        var ledger = WorkspaceLedger.Open(options.Ledger);
        try
        {
            var runtime = new ThymosRuntime(ledger, options);
            foreach (var entry in ledger.Read())
            {
                runtime._state.Apply(entry);
            }

            lock (runtime._gate)
            {
                runtime.RecoverInterruptedApplies();
                runtime.RedoCommitsAfterMark();
                runtime.LoadRecordedPolicy();
                runtime._changedProposals.Clear();
            }

            ledger.WaitUntilDurable(ledger.StagedSeq);
            var period = options.RefusalWindow > TimeSpan.Zero ? options.RefusalWindow : TimeSpan.FromSeconds(60);
            runtime._refusalTimer = options.Ledger.Clock.CreateTimer(_ => runtime.OnRefusalTimer(), null, period, period);
            return runtime;
        }
        catch
        {
            ledger.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The key folder holds the workspace key, the head anchor and the operator token: inside the workspace, every
    /// agent with a shell there could read them (and approve its own proposals as the human), so it is refused.
    /// </summary>
    private static void RefuseKeyDirectoryInsideWorkspace(string workspaceRoot, string keyDirectory)
    {
        static string Real(string path)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            try
            {
                return Directory.Exists(full) && new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target
                    ? Path.TrimEndingDirectorySeparator(target.FullName)
                    : full;
            }
            catch (IOException)
            {
                return full;
            }
        }

        var root = Real(workspaceRoot);
        var keys = Real(keyDirectory);
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (string.Equals(keys, root, comparison) || keys.StartsWith(root + Path.DirectorySeparatorChar, comparison))
        {
            throw new WorkspaceKeyException($"The key folder '{keys}' is inside the workspace '{root}', where an agent's shell could read the workspace key and the operator token. Choose a key folder outside the workspace (--key-dir or OPENTHYMOS_KEY_DIR), or unset both to use the default under your home folder.");
        }
    }

    /// <summary>A proposal by id, or null.</summary>
    public ProposalState? GetProposal(string proposalId) =>
        Run(() => _state.Proposals.GetValueOrDefault(proposalId));

    /// <summary>Every proposal, newest first.</summary>
    public IReadOnlyList<ProposalState> ListProposals() =>
        Run<IReadOnlyList<ProposalState>>(() => [.. _state.Proposals.Values.OrderByDescending(p => p.FirstSeq)]);

    /// <summary>Reads a file of the workspace with the hash an agent must send back to change it.</summary>
    public (byte[]? Content, string? Hash, RuntimeError? Error) ReadFile(string path)
    {
        var (normalized, error) = _compiler.Confine(path);
        if (error is not null)
        {
            return (null, null, error);
        }

        if (BuiltinProtections.FloorFor(normalized!) is (PolicyOutcome.Deny, var pattern))
        {
            return (null, null, new RuntimeError(RuntimeErrorCode.PolicyDenied, $"'{normalized}' is protected (built-in rule {pattern}); agents may not read or change it."));
        }

        var (bytes, readError) = _compiler.ReadForAgent(normalized!);
        if (readError is not null)
        {
            return (null, null, readError);
        }

        return bytes is null
            ? (null, null, new RuntimeError(RuntimeErrorCode.FileStateMismatch, $"'{normalized}' does not exist."))
            : (bytes, ContentHash.Of(bytes).ToString(), null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _refusalTimer?.Dispose();
        try
        {
            // Repeats counted in open refusal windows are ledgered before the ledger closes (a kill loses only these counts).
            lock (_gate)
            {
                if (!_ledger.IsFaulted && !_ledger.RollbackPending)
                {
                    CloseRefusalWindows((_, _) => true);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or InvalidOperationException)
        {
            // The ledger refuses the write: only the open windows' counts are lost, which a kill would lose too.
        }

        try
        {
            _fileSync.Dispose();
        }
        finally
        {
            _ledger.Appended -= OnAppended;
            _ledger.Dispose();
            _applier.Dispose();
        }
    }

    private void OnAppended(LedgerEntry entry) => Appended?.Invoke(entry);

    /// <summary>
    /// Runs an operation under the lock, then (outside it) waits until every entry staged so far is
    /// durable, then announces the proposals the operation changed. Waiting for everything staged so far,
    /// not only the operation's own entries, is what lets a reader never see state a crash could undo.
    /// </summary>
    private T Run<T>(Func<T> operation)
    {
        T result;
        long stagedThrough;
        long epoch;
        string[] changed;
        lock (_gate)
        {
            var entered = Stopwatch.GetTimestamp();
            try
            {
                FoldAgainAfterRollback();
                result = operation();
                (epoch, stagedThrough) = _ledger.StagedPosition;
                changed = [.. _changedProposals.Distinct(StringComparer.Ordinal)];
            }
            catch (Exception exception) when (NoteLedgerFailure(exception))
            {
                throw; // not reached: the filter only records the failure
            }
            finally
            {
                _changedProposals.Clear();
                _lockHolds++;
                _lockHeldTicks += Stopwatch.GetTimestamp() - entered;
            }
        }

        try
        {
            _ledger.WaitUntilDurable(stagedThrough, epoch);
        }
        catch (Exception exception) when (NoteLedgerFailure(exception))
        {
            throw; // not reached: the filter only records the failure
        }

        foreach (var proposalId in changed)
        {
            ProposalChanged?.Invoke(proposalId);
        }

        return result;
    }

    /// <summary>
    /// After a rolled-back write the state may hold entries the ledger does not: fold it again from the durable
    /// entries (under the lock, before any operation sees it) and let the ledger stage again. A long ledger takes as
    /// long as opening it; rollbacks are rare (a store that refused a transaction). If the fold fails, the ledger
    /// cannot go on (<see cref="LedgerFailed"/>).
    /// </summary>
    private void FoldAgainAfterRollback()
    {
        if (!_ledger.RollbackPending)
        {
            return;
        }

        var state = new RuntimeState(LedgerLookup.Of(_ledger));
        foreach (var entry in _ledger.Read())
        {
            state.Apply(entry);
        }

        _state = state;
        _changedProposals.Clear();
        _ledger.AcknowledgeRollback();
    }

    /// <summary>Raises <see cref="LedgerFailed"/> once when <paramref name="exception"/> left the ledger unable to go on; always false (an exception filter).</summary>
    private bool NoteLedgerFailure(Exception exception)
    {
        var fatal = _ledger.IsFaulted || (_ledger.RollbackPending && exception is not LedgerWriteRolledBackException and not LedgerEntryTooLargeException);
        if (fatal && Interlocked.Exchange(ref _ledgerFailed, 1) == 0)
        {
            LedgerFailed?.Invoke(
                $"The ledger '{_ledger.Store.Location}' cannot take more entries: {exception.Message} Nothing after the last acknowledged entry was lost; "
                + "restart OpenThymos (the editor restarts its sidecar), and it reopens the ledger from what is on disk.");
        }

        return false;
    }

    /// <summary>
    /// Stages entries (they get their seq now, in lock order) and folds them into the state; the caller
    /// holds the lock and <see cref="Run"/> waits for durability before anything is acknowledged.
    /// </summary>
    private IReadOnlyList<LedgerEntry> Append(IReadOnlyList<PendingEntry> entries, IReadOnlyList<BlobWrite>? blobs = null) =>
        Append(_ => entries, blobs);

    /// <summary>As <see cref="Append(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite}?)"/>, for entries that name the seq of the first of them (an approval and its commit).</summary>
    private IReadOnlyList<LedgerEntry> Append(Func<long, IReadOnlyList<PendingEntry>> entriesFromFirstSeq, IReadOnlyList<BlobWrite>? blobs = null)
    {
        var staged = _ledger.Stage(entriesFromFirstSeq, blobs ?? []);
        foreach (var entry in staged)
        {
            // The fold names the proposal the entry is about, so the payload is decoded once, not twice.
            if (_state.Apply(entry) is { } proposalId)
            {
                _changedProposals.Add(proposalId);
            }
        }

        return staged;
    }

    private string CurrentPolicyHash => _state.PolicyHash ?? _policy.Hash.ToString();

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
