// The governed runtime of one workspace: the agent proposes, the runtime decides, the ledger remembers.
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Runtime.State;
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
/// This class is the façade: it owns the lock and the choreography of what runs under it and what outside it
/// (every retry loop is here); the work itself is done by its collaborators, one concept each
/// (<see cref="IntentSubmission"/>, <see cref="ProposalDecisions"/>, <see cref="ChangedFileRebase"/>,
/// <see cref="ReviewerAmendment"/>, <see cref="CommitRevert"/>, <see cref="CommitExecution"/>, <see cref="CommitRecovery"/>,
/// <see cref="WritIssuance"/>, <see cref="WritGate"/>, <see cref="PolicyGate"/>, <see cref="RefusalLedger"/>,
/// over the <see cref="FoldedLedger"/>).
/// </summary>
public sealed class ThymosRuntime : IDisposable
{
    /// <summary>The proposal-id prefix of the approval entry that a revert writes before touching files.</summary>
    public const string RevertProposalPrefix = "revert:";

    /// <summary>
    /// How often an operation that computes outside the lock (a submission's compile, a rebase, an amendment, a revert's
    /// plan) computes again when another operation overtook it before it gives up: a submission is then refused as
    /// stale, an approval, amendment or revert refused with a message to try again, and a watcher's rebase left for the
    /// next observation. Nothing is ever computed under the lock instead, so no operation can hold readers up.
    /// </summary>
    internal const int AttemptsOutsideTheLock = 4;

    private readonly Lock _gate = new();
    private readonly FoldedLedger _folded;
    private readonly IntentCompiler _compiler;
    private readonly AtomicApplier _applier;
    private readonly DeferredFileSync _fileSync;
    private readonly IRuntimeMeter? _meter;
    private readonly PolicyGate _policy;
    private readonly RefusalLedger _refusals;
    private readonly WritIssuance _writs;
    private readonly WritGate _writGate;
    private readonly IntentSubmission _submission;
    private readonly ProposalDecisions _decisions;
    private readonly ChangedFileRebase _rebase;
    private readonly ReviewerAmendment _amendment;
    private readonly CommitRevert _revert;
    private readonly CommitRecovery _recovery;
    private ITimer? _refusalTimer;
    private int _disposed;
    private int _ledgerFailed;

    private ThymosRuntime(WorkspaceLedger ledger, RuntimeOptions options)
    {
        var clock = options.Ledger.Clock;
        _folded = new FoldedLedger(ledger);
        _meter = options.Meter;
        WorkspaceRoot = Path.GetFullPath(options.WorkspaceRoot);
        _applier = new AtomicApplier(WorkspaceRoot);
        if (_meter is { } meter)
        {
            _applier.BeforeEachFile = path => meter.Mark(RuntimeStep.FileRenaming, path);
            _applier.AfterEachFile = path => meter.Mark(RuntimeStep.FileRenamed, path);
        }

        _compiler = new IntentCompiler(_applier.Workspace);
        _fileSync = new DeferredFileSync(_applier);
        _policy = new PolicyGate(_folded, _applier.Workspace);
        _refusals = new RefusalLedger(_folded, _policy, clock, options.RefusalWindow);
        var writGate = new WritGate(_folded, clock);
        _writGate = writGate;
        Clock = clock;
        _writs = new WritIssuance(_folded, writGate, _refusals, _policy, clock);
        var proposalFiles = new ProposalFiles(ledger, _applier);
        var checks = new DecisionChecks(_folded, _applier, _fileSync);
        var execution = new CommitExecution(_folded, _applier, _fileSync, _meter);
        _decisions = new ProposalDecisions(_folded, checks, writGate, _policy, proposalFiles, execution, _applier, _meter);
        _submission = new IntentSubmission(_folded, _compiler, _applier, writGate, _policy, () => Policy, _refusals, _decisions, options.MaxFilesPerIntent);
        _rebase = new ChangedFileRebase(_folded, proposalFiles, _applier, _policy, _meter);
        _amendment = new ReviewerAmendment(_folded, checks, proposalFiles, _meter);
        _revert = new CommitRevert(_folded, _applier, _policy, execution, _meter);
        _recovery = new CommitRecovery(_folded, _applier, _fileSync, execution);
        ledger.Appended += OnAppended;
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
    public WorkspaceLedger Ledger => _folded.Ledger;

    /// <summary>The folded state. Read it under no assumption of stability between calls.</summary>
    public RuntimeState State => _folded.State;

    /// <summary>The policy in force: the one the last <c>policy.changed</c> entry recorded (see <see cref="AdoptPolicy"/>).</summary>
    public WorkspacePolicy Policy
    {
        get
        {
            lock (_gate)
            {
                return _policy.InForce;
            }
        }
    }

    /// <summary>How many files the last open rewrote from the ledger because a crash left them behind their commit.</summary>
    public int RedoneAtOpen { get; private set; }

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
            runtime._folded.FoldAll();
            lock (runtime._gate)
            {
                runtime._recovery.RecoverInterruptedApplies();
                runtime.RedoneAtOpen = runtime._recovery.RedoCommitsAfterMark();
                runtime._policy.LoadRecorded();
                runtime._folded.ForgetChangedProposals();
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

    /// <summary>A proposal by id, or null.</summary>
    public ProposalState? GetProposal(string proposalId) =>
        Run(() => _folded.State.Proposals.GetValueOrDefault(proposalId));

    /// <summary>Every proposal, newest first.</summary>
    public IReadOnlyList<ProposalState> ListProposals() =>
        Run<IReadOnlyList<ProposalState>>(() => [.. _folded.State.Proposals.Values.OrderByDescending(p => p.FirstSeq)]);

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

    /// <summary>
    /// Compiles an agent's intent into a proposal. Refusals are returned as values and ledgered;
    /// an identical re-submission returns the pending proposal instead of creating another.
    /// Reading, hashing and diffing the files, the digest, the policy trace and the payload's JSON need
    /// no runtime state, so they are done before the lock (agents compile in parallel); under the lock
    /// only what other operations can change is checked again (<see cref="IntentSubmission.Stage"/>).
    /// </summary>
    public SubmitResult Submit(AgentSession session, Intent intent)
    {
        var prepared = _submission.Prepare(session, intent);
        for (var attempt = 1; ; attempt++)
        {
            _meter?.Mark(RuntimeStep.SubmissionCompiled);
            var lastAttempt = attempt >= AttemptsOutsideTheLock;
            SubmitResult? result;
            ChangedProposal? changedUnderneath = null;
            try
            {
                result = Run(() => _submission.Stage(session, intent, prepared, lastAttempt, out changedUnderneath));
            }
            catch (LedgerWriteRolledBackException exception)
            {
                // The store rolled the transaction back: nothing of the submission is in the ledger, and the state was
                // folded again from what is. The attempt is refused, and the refusal is recorded like any other.
                var error = new RuntimeError(RuntimeErrorCode.LedgerWriteFailed,
                    $"The submission was not recorded: {exception.Message} Send it again; if it keeps failing, check the disk holding .thymos/ledger.db.");
                try
                {
                    Run(() => _submission.Refuse(session, prepared, error));
                }
                catch (LedgerWriteRolledBackException)
                {
                    // The store refuses this write too; the caller still gets the refusal.
                }

                return new SubmitResult(SubmitOutcome.Refused, null, error);
            }

            if (changedUnderneath is not null)
            {
                // The files changed on disk between the compile and the auto-approval: rebase outside the lock, as an approval does.
                var decision = RebaseChangedUnderneath(result!.Decision!, changedUnderneath);
                return result with { Error = decision.Error, Decision = decision };
            }

            if (result is not null)
            {
                return result;
            }

            // An approval or revert wrote one of this intent's files after they were read: compile again, outside the lock.
            prepared = _submission.Compile(session, intent, prepared, prepared.LoadedPolicy);
        }
    }

    /// <summary>
    /// Ledgers an intent that was refused before it reached <see cref="Submit"/> (over the size cap, unreadable on the
    /// wire, or with invalid params): every refused submission leaves a rejection, whichever layer refused it.
    /// </summary>
    public void RecordRefusedIntent(AgentSession session, IReadOnlyList<string> paths, RuntimeError error) =>
        Run(() => _submission.Refuse(session, paths, error, ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", [error.Message, .. paths]))).ToString(), null));

    /// <summary>
    /// Ledgers every repeat of a refusal counted in an open window now, as aggregate entries (the editor calls it
    /// before it reads the ledger, so what a reviewer sees accounts for every refused attempt so far).
    /// </summary>
    public void FlushRefusals() => Run(_refusals.CloseAll);

    /// <summary>An agent session ended (its connection closed): its open refusal windows are ledgered now.</summary>
    public void EndSession(AgentSession session) => Run(() => _refusals.CloseSession(session));

    /// <summary>
    /// Approves hunks of a proposal. Each affected file must still have the content the proposal
    /// expects; if not, the change is observed and the proposal is rebased into a new revision (no
    /// overlap) or marked stale (overlap), and nothing is written; that rebase is computed outside the
    /// runtime's lock (<see cref="RebaseChangedUnderneath"/>). Otherwise the approval is ledgered, the files
    /// are written atomically, and the commit is ledgered.
    /// </summary>
    public DecisionResult Approve(ApproveRequest request)
    {
        var (result, changed) = Run(() => (_decisions.Approve(request, out var changedUnderneath), changedUnderneath));
        return changed is null ? result : RebaseChangedUnderneath(result, changed);
    }

    /// <summary>Rejects hunks of a proposal; the rejection and its reason are ledgered.</summary>
    public DecisionResult Reject(RejectRequest request) => Run(() => _decisions.Reject(request));

    /// <summary>
    /// Records a reviewer's amendment as a new revision of the proposal: the same base, the reviewer's
    /// text as the proposed result of <see cref="AmendRequest.Path"/>, hunks recomputed against it, and
    /// the other files' pending hunks unchanged. The revision's entry has the reviewer as its actor and
    /// <c>amended</c> as its reason; the agent's revision stays in the ledger beside it. Nothing is
    /// written to the workspace: approving the new revision applies the reviewer's text. The hunks are
    /// computed outside the runtime's lock from a copy of the proposal and recorded only if the proposal has
    /// no newer entry by then (else computed again from the new state).
    /// </summary>
    public DecisionResult Amend(AmendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var (snapshot, refusal) = Run(() => _amendment.Snapshot(request));
            if (refusal is not null)
            {
                return refusal;
            }

            // The diff of the reviewer's text is computed outside the lock, from the snapshot.
            var (files, blobs, error) = _amendment.Plan(request, snapshot!);
            if (error is not null)
            {
                return new DecisionResult(DecisionOutcome.Refused, snapshot!.Id, snapshot.Revision, Error: error);
            }

            if (files is null)
            {
                // The text is what the revision already proposes: nothing to record.
                return new DecisionResult(DecisionOutcome.Amended, snapshot!.Id, snapshot.Revision);
            }

            var recorded = Run(() => _amendment.Record(request, snapshot!, files, blobs));
            if (recorded is not null)
            {
                return recorded;
            }

            if (attempt >= AttemptsOutsideTheLock)
            {
                return new DecisionResult(DecisionOutcome.Refused, snapshot!.Id, snapshot.Revision, Error: new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                    $"Proposal {snapshot.Id} kept changing while the amendment of '{request.Path}' was computed; nothing was recorded. Reload the proposal and amend it again."));
            }
        }
    }

    /// <summary>
    /// Checks the pending proposals that touch <paramref name="paths"/> (every pending proposal when
    /// null) against the disk, as a file watcher calls it after someone saved a file. Each proposal
    /// whose files no longer hold the content it expects is handled as an approval would handle it:
    /// the change is ledgered as observed, then the proposal is rebased into a new revision (the change
    /// is in other lines) or marked stale (it is in the proposal's lines). Nothing is written to the
    /// workspace. Returns one result per proposal that was rebased or marked stale.
    /// The rebases (three-way merges and diffs) are computed outside the runtime's lock against a snapshot of
    /// each proposal and the disk content read then; under the lock a plan is recorded only if the proposal has
    /// no newer entry and its files still hash as they were read (<see cref="RecordChangesOutsideTheLock"/>).
    /// </summary>
    public IReadOnlyList<DecisionResult> ObserveChangedFiles(IReadOnlyCollection<string>? paths = null)
    {
        var found = Run(() => _rebase.FindChanged(paths));
        return found.Count == 0 ? [] : RecordChangesOutsideTheLock(found, paths);
    }

    /// <summary>
    /// Reverts a commit (or a revert) by applying the inverse of its changes to the files as they
    /// are now. Lines changed again since (by later commits or by hand) make the revert refuse with a
    /// message naming them, rather than force it. The inverse and its merge onto the current text are
    /// computed outside the runtime's lock; under it the revert goes on only if every file of the commit
    /// still hashes as it was read (else it is planned again). It follows the same write protocol as an
    /// approval, so a crash during it is recovered the same way.
    /// </summary>
    public DecisionResult Revert(long commitSeq, string actor, string reason)
    {
        var proposalId = RevertProposalPrefix + commitSeq;
        for (var attempt = 1; ; attempt++)
        {
            var (files, laterCommits, refusal) = Run(() => _revert.Snapshot(commitSeq, proposalId));
            if (refusal is not null)
            {
                return refusal;
            }

            var (plan, error) = _revert.Plan(commitSeq, files!, laterCommits!);
            if (error is not null)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: error);
            }

            if (plan!.Writes.Count == 0)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.RevertConflict,
                    $"Commit {commitSeq} is already undone: every file it changed is back at its earlier content."));
            }

            var result = Run(() => _revert.Record(commitSeq, proposalId, actor, reason, plan));
            if (result is not null)
            {
                return result;
            }

            if (attempt >= AttemptsOutsideTheLock)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.RevertConflict,
                    $"The files of commit {commitSeq} kept changing while its revert was planned; nothing was written. Revert again once they stop changing."));
            }
        }
    }

    /// <summary>
    /// Issues a writ signed with the workspace key and ledgers it. A delegated writ must be strictly
    /// narrower than its parent, which must itself be valid.
    /// </summary>
    public (IssuedWrit? Writ, RuntimeError? Error) IssueWrit(WritRequest request, string issuer) =>
        Run(() => _writs.Issue(request, issuer));

    /// <summary>Revokes a writ and every writ delegated from it; their pending proposals are rejected.</summary>
    public RuntimeError? RevokeWrit(string writId, string actor, string reason) =>
        Run(() => _writs.Revoke(writId, actor, reason));

    /// <summary>
    /// Admits an agent session presenting a writ token: signature, issuance and revocation are checked. A refused
    /// token is ledgered as a rejection (no proposal, reason <c>session-refused</c>), so forged,
    /// expired and revoked writs leave the same record as any other refused attempt; repeats within a window are
    /// counted into one aggregate entry (<see cref="RefusalWindows"/>), so a retry loop cannot grow the ledger without bound.
    /// </summary>
    public (AgentSession? Session, RuntimeError? Error) OpenSession(string token) =>
        Run(() => _writs.OpenSession(token));

    /// <summary>
    /// Ledgers a <c>session/open</c> refused before the runtime saw a token (none was sent), like
    /// <see cref="OpenSession"/> ledgers the tokens it refuses.
    /// </summary>
    public void RecordRefusedSession(RuntimeError error) => Run(() => _writs.RefuseSession("", null, error));

    /// <summary>The clock the runtime decides by (the ledger's): what a client is told about expiry is judged by the same time.</summary>
    public TimeProvider Clock { get; }

    /// <summary>
    /// The writ of <paramref name="session"/> when it can still be used, else why not (unknown, revoked, expired): the same
    /// check the runtime makes when it stages an intent, so a surface never judges a writ by another clock or wording.
    /// </summary>
    public (WritState? Writ, RuntimeError? Error) UsableWrit(AgentSession session) => Run<(WritState?, RuntimeError?)>(() =>
    {
        if (!_folded.State.Writs.TryGetValue(session.WritId, out var writ))
        {
            return (null, new RuntimeError(RuntimeErrorCode.WritUnknown, $"The session's writ '{session.WritId}' is not in this workspace's ledger. Open a new session with a token from `thymos grant`."));
        }

        return _writGate.CheckUsable(writ) is { } refused ? (null, refused) : (writ, null);
    });

    /// <summary>Every writ, newest first.</summary>
    public IReadOnlyList<WritState> ListWrits() =>
        Run<IReadOnlyList<WritState>>(() => [.. _folded.State.Writs.Values.OrderByDescending(w => w.IssuedSeq)]);

    /// <summary>
    /// Makes the policy file as it is on disk the policy in force, if its hash is the one the human reviewed
    /// (<paramref name="reviewedHash"/>): records a <c>policy.changed</c> entry with <paramref name="actor"/> and
    /// the text as its blob. Refused when the file does not load, when it changed since the review, or when it
    /// already governs. A file changed on disk governs only once a human adopts it (<see cref="PolicyGate"/>).
    /// </summary>
    public (PolicyStatus? Status, RuntimeError? Error) AdoptPolicy(string reviewedHash, string actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewedHash);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var error = Run(() => _policy.Adopt(reviewedHash, actor));
        return error is null ? (GetPolicyStatus(), null) : (null, error);
    }

    /// <summary>
    /// The policy in force (recorded in the ledger, with its text) and how the file on disk compares: its hash and
    /// text when it differs from the policy in force, or its load error. Reads the file without the runtime's lock.
    /// </summary>
    public PolicyStatus GetPolicyStatus()
    {
        WorkspacePolicy policy;
        string recordedHash;
        lock (_gate)
        {
            policy = _policy.InForce;
            recordedHash = _policy.CurrentHash;
        }

        return _policy.Status(policy, recordedHash);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _refusalTimer?.Dispose();
        var ledger = _folded.Ledger;
        try
        {
            // Repeats counted in open refusal windows are ledgered before the ledger closes (a kill loses only these counts).
            lock (_gate)
            {
                if (!ledger.IsFaulted && !ledger.RollbackPending)
                {
                    _refusals.CloseAll();
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
            ledger.Appended -= OnAppended;
            ledger.Dispose();
            _applier.Dispose();
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

    /// <summary>
    /// An approval found the proposal's files changed on disk: its rebase (or staleness) is computed outside the lock
    /// and recorded if still current, and that is the approval's answer. When the proposal was decided meanwhile or its
    /// files kept changing, <paramref name="refusal"/> (nothing written, review again) is.
    /// </summary>
    private DecisionResult RebaseChangedUnderneath(DecisionResult refusal, ChangedProposal changed)
    {
        var recorded = RecordChangesOutsideTheLock([changed], null);
        return recorded.Count > 0 ? recorded[0] : refusal;
    }

    /// <summary>
    /// Plans the rebase of each proposal snapshot outside the lock, then, under it, records the plans still current
    /// and takes a new snapshot of each proposal a plan was overtaken for (another entry, or its files changed again);
    /// those are planned again, up to <see cref="AttemptsOutsideTheLock"/> rounds in all. Nothing is ever
    /// computed under the lock; a proposal still overtaken after the last round is left for the next observation.
    /// </summary>
    private List<DecisionResult> RecordChangesOutsideTheLock(List<ChangedProposal> found, IReadOnlyCollection<string>? paths)
    {
        var results = new List<DecisionResult>();
        for (var attempt = 1; found.Count > 0 && attempt <= AttemptsOutsideTheLock; attempt++)
        {
            var plans = found.Select(_rebase.Plan).ToList();
            found = Run(() =>
            {
                var again = new List<ChangedProposal>();
                foreach (var plan in plans)
                {
                    if (!_folded.State.Proposals.TryGetValue(plan.ProposalId, out var proposal) || !proposal.IsPending)
                    {
                        continue;
                    }

                    if (_rebase.IsStillCurrent(proposal, plan))
                    {
                        results.Add(_rebase.Record(proposal, plan));
                    }
                    else if (_rebase.SnapshotIfChanged(proposal, paths) is { } snapshot)
                    {
                        again.Add(snapshot);
                    }
                }

                return again;
            });
        }

        return results;
    }

    /// <summary>Closes the windows that ended, on the runtime's timer, so a burst that stops is still ledgered within about two windows.</summary>
    private void OnRefusalTimer()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            Run(_refusals.CloseEnded);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            // The runtime is closing or the ledger refused the write; the next refusal, session end or stop tries again.
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
        var ledger = _folded.Ledger;
        lock (_gate)
        {
            _meter?.Mark(RuntimeStep.LockTaken);
            try
            {
                _folded.FoldAgainAfterRollback();
                result = operation();
                (epoch, stagedThrough) = ledger.StagedPosition;
                changed = _folded.TakeChangedProposals();
            }
            catch (Exception exception) when (NoteLedgerFailure(exception))
            {
                throw; // not reached: the filter only records the failure
            }
            finally
            {
                _folded.ForgetChangedProposals();
                _meter?.Mark(RuntimeStep.LockReleased);
            }
        }

        try
        {
            ledger.WaitUntilDurable(stagedThrough, epoch);
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

    /// <summary>Raises <see cref="LedgerFailed"/> once when <paramref name="exception"/> left the ledger unable to go on; always false (an exception filter).</summary>
    private bool NoteLedgerFailure(Exception exception)
    {
        var ledger = _folded.Ledger;
        var fatal = ledger.IsFaulted || (ledger.RollbackPending && exception is not LedgerWriteRolledBackException and not LedgerEntryTooLargeException);
        if (fatal && Interlocked.Exchange(ref _ledgerFailed, 1) == 0)
        {
            LedgerFailed?.Invoke(
                $"The ledger '{ledger.Store.Location}' cannot take more entries: {exception.Message} Nothing after the last acknowledged entry was lost; "
                + "restart OpenThymos (the editor restarts its sidecar), and it reopens the ledger from what is on disk.");
        }

        return false;
    }
}
