// The backend used when no sidecar runs: the sidecar's own surface, over the ledger opened read-only for reads and over the
// runtime opened in-process for one operation for writes and agent verbs.
using System.Diagnostics;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Workspace;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;

namespace OpenThymos.Cli.Transport;

/// <summary>
/// Calls the same <see cref="EditorSurface"/>, <see cref="AgentSurface"/> and <see cref="LedgerReads"/> the sidecar's
/// JSON-RPC target delegates to, so both transports answer alike. Read-only verbs take no lock; each write and each agent
/// verb opens the runtime (taking the ledger's writer lock for that operation only, waiting up to <see cref="LockWait"/>
/// for another writer) and closes it. Refusals become <see cref="CliException"/>s in one place.
/// </summary>
internal sealed class LocalBackend(WorkspaceLocation location, string? writToken = null) : IOperatorBackend, IAgentBackend
{
    /// <summary>How long a write waits for another writer to release the ledger.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Description => $"the ledger {location.LedgerPath} opened directly (no sidecar is running)";

    /// <summary>The reviewer recorded on decisions.</summary>
    public static string Reviewer => "human:" + (string.IsNullOrEmpty(Environment.UserName) ? "cli" : Environment.UserName);

    /// <summary>Opens the runtime, creating the ledger when the workspace has none, runs one operation and closes it.</summary>
    public T WithRuntime<T>(Func<ThymosRuntime, T> operation) => WithRuntime(operation, acceptRestoredLedger: false);

    /// <summary>
    /// As <see cref="WithRuntime{T}(Func{ThymosRuntime, T})"/>; with <paramref name="acceptRestoredLedger"/>, a ledger behind its
    /// signed head anchor or witness is opened anyway after a <c>ledger.rollback-accepted</c> entry records both heads.
    /// </summary>
    public T WithRuntime<T>(Func<ThymosRuntime, T> operation, bool acceptRestoredLedger)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var runtime = ThymosRuntime.Open(new RuntimeOptions
                {
                    Ledger = new LedgerOptions
                    {
                        WorkspaceRoot = location.Root,
                        StoreFactory = location.Stores,
                        KeyDirectory = location.KeyDirectory,
                        HolderDescription = $"thymos CLI (pid {Environment.ProcessId})",
                        AcceptRestoredLedger = acceptRestoredLedger,
                    },
                });
                return operation(runtime);
            }
            catch (LedgerLockedException ex) when (stopwatch.Elapsed < LockWait)
            {
                _ = ex;
                Thread.Sleep(100);
            }
            catch (LedgerLockedException ex)
            {
                throw new CliException(
                    ExitCodes.Unavailable,
                    $"The ledger {location.LedgerPath} is locked by another writer ({ex.Message}) and no sidecar socket answered. Stop that process, or run the command again once it finishes.");
            }
        }
    }

    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken) =>
        Answer(() => WithState((_, state) => LedgerReads.ListProposals(state.Proposals.Values.OrderByDescending(p => p.FirstSeq), request)));

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(string proposalId, CancellationToken cancellationToken) =>
        Answer(() => WithState((store, state) => LedgerReads.GetProposal(new GetProposalParams { ProposalId = proposalId }, state.Proposals.GetValueOrDefault, store.ReadBlob)));

    /// <inheritdoc />
    public Task<DecisionResultInfo> ApproveAsync(ApproveProposalParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).Approve(request, Reviewer)));

    /// <inheritdoc />
    public Task<DecisionResultInfo> RejectAsync(RejectProposalParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).Reject(request, Reviewer)));

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken) =>
        Answer(() => WithStore(store => TimelineReader.Read(store, request, cancellationToken)));

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(long seq, CancellationToken cancellationToken) =>
        Answer(() => WithStore(store => LedgerReads.GetEntry(store, new GetEntryParams { Seq = seq })));

    /// <inheritdoc />
    public Task<VerifyResultInfo> VerifyAsync(IProgress<LedgerProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(ProtocolConversions.ToVerifyInfo(LedgerVerifier.VerifyAt(location.Stores, location.LedgerPath, location.KeyDirectory, progress, cancellationToken)));

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(long? toSeq, CancellationToken cancellationToken) =>
        Answer(() => WithStore(store => LedgerReads.Replay(store, toSeq, verified: null, progress: null, cancellationToken)));

    /// <summary>
    /// The world at the head against the disk. Unlike the sidecar's (<see cref="EditorSurface.GetDrift"/>), no runtime has
    /// recovered this ledger, so a file still at the state a durable commit started from is reported as waiting for
    /// recovery's redo, not as changed outside the ledger.
    /// </summary>
    public Task<DriftResultInfo> GetDriftAsync(CancellationToken cancellationToken) =>
        Task.FromResult(WithStore(store => ProtocolConversions.ToDriftInfo(WorldReplayer.Drift(store, location.Root, cancellationToken))));

    /// <inheritdoc />
    public Task<DecisionResultInfo> RevertAsync(RevertCommitParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).Revert(request, Reviewer)));

    /// <inheritdoc />
    public Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).IssueWrit(request, Reviewer)));

    /// <inheritdoc />
    public Task RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).RevokeWrit(request, Reviewer)));

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).GetPolicy()));

    /// <inheritdoc />
    public Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken) =>
        Answer(() => WithRuntime(runtime => new EditorSurface(runtime).AdoptPolicy(request, Reviewer)));

    /// <inheritdoc />
    public Task<ReadFileResult> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        Answer(() => WithSession((agent, session) => agent.ReadFile(session, new ReadFileParams { Path = path })));

    /// <inheritdoc />
    public Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken) =>
        Answer(() => WithSession((agent, session) => agent.ListFiles(session, request, cancellationToken)));

    /// <inheritdoc />
    public Task<SubmitIntentResult> SubmitAsync(SubmitIntentParams request, CancellationToken cancellationToken) =>
        Answer(() => WithSession((agent, session) => agent.Submit(session, agent.ReadIntent(session, request))));

    /// <inheritdoc />
    public Task<ProposalStatusResult> GetStatusAsync(string proposalId, CancellationToken cancellationToken) =>
        Answer(() => WithSession((agent, session) => agent.GetStatus(session, new ProposalStatusParams { ProposalId = proposalId })));

    /// <summary>
    /// Opens the session once (as the sidecar does at <c>session/open</c>), then waits as the sidecar does
    /// (<see cref="AgentSurface.WaitForDecisionAsync"/>), holding no lock: the ledger file's change notifications wake it,
    /// and each wake reads the proposal's status from the ledger opened read-only, so whoever decides (a sidecar started
    /// meanwhile, or another <c>thymos approve</c>) is never kept from the writer lock.
    /// </summary>
    public async Task<ProposalStatusResult> WaitDecisionAsync(string proposalId, int timeoutMs, CancellationToken cancellationToken)
    {
        try
        {
            var session = WithRuntime(runtime => new AgentSurface(runtime).OpenSession(RequireWrit()));
            return await AgentSurface.WaitForDecisionAsync(
                new WaitDecisionParams { ProposalId = proposalId, TimeoutMs = timeoutMs },
                id => WithState((store, state) => LedgerReads.Status(store, session, id, state.Proposals.GetValueOrDefault(id))),
                (_, changed) => LedgerChangeSignal.Subscribe(location.LedgerPath, changed),
                cancellationToken).ConfigureAwait(false);
        }
        catch (SurfaceException refusal)
        {
            throw Refused(refusal);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Runs a verb; a refusal becomes the CLI's error (the one place local refusals are mapped).</summary>
    private Task<T> Answer<T>(Func<T> verb)
    {
        try
        {
            return Task.FromResult(verb());
        }
        catch (SurfaceException refusal)
        {
            throw Refused(refusal);
        }
    }

    private CliException Refused(SurfaceException refusal) =>
        CliException.FromCode(refusal.Code, $"{refusal.Message} (the ledger {location.LedgerPath}, code {refusal.Code})");

    /// <summary>Opens the runtime and a session under the writ token, as <c>session/open</c> does, and runs one agent verb.</summary>
    private T WithSession<T>(Func<AgentSurface, AgentSession, T> verb)
    {
        var token = RequireWrit();
        return WithRuntime(runtime =>
        {
            var surface = new AgentSurface(runtime);
            return verb(surface, surface.OpenSession(token));
        });
    }

    private string RequireWrit() =>
        string.IsNullOrEmpty(writToken)
            ? throw new CliException(ExitCodes.Usage, "No writ token: set THYMOS_WRIT, or pass --writ-file PATH (a file holding the token). An operator issues one with `thymos grant --agent NAME`.")
            : writToken;

    private T WithStore<T>(Func<ILedgerStore, T> read)
    {
        location.RequireLedger();
        using var store = location.Stores.OpenReadOnly(location.LedgerPath);
        return read(store);
    }

    private T WithState<T>(Func<ILedgerStore, RuntimeState, T> read) => WithStore(store =>
    {
        var state = new RuntimeState(null, store.ReadBlob);
        foreach (var entry in store.ReadRange(LedgerFormat.GenesisSeq, long.MaxValue))
        {
            state.Apply(entry);
        }

        return read(store, state);
    });
}
