// The editor surface of the per-connection target: the role gate, then the sidecar's EditorSurface.
using OpenThymos.Core.Replay;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Connections;

/// <summary>Editor methods: each checks the connection's role, then delegates (off the reader when it touches the ledger).</summary>
public sealed partial class RpcTarget
{
    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(sidecar.Editor.ListProposals(request));
    }

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(GetProposalParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(sidecar.Editor.GetProposal(request));
    }

    /// <inheritdoc />
    public Task<DecisionResultInfo> ApproveProposalAsync(ApproveProposalParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.Approve(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<DecisionResultInfo> RejectProposalAsync(RejectProposalParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.Reject(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<AmendProposalResult> AmendProposalAsync(AmendProposalParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.Amend(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.ListEntries(request, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(GetEntryParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(sidecar.Editor.GetEntry(request));
    }

    /// <inheritdoc />
    public Task<GetFileAtSeqResult> GetFileAtSeqAsync(GetFileAtSeqParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.GetFileAtSeq(request), cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetBlobResult> GetBlobAsync(GetBlobParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.GetBlob(request), cancellationToken);
    }

    /// <inheritdoc />
    public Task<VerifyResultInfo> VerifyAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        var progress = ProgressFor(request?.ProgressToken);
        return RunAsync(() => sidecar.Editor.Verify(progress, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        var progress = ProgressFor(request?.ProgressToken);
        return RunAsync(() => sidecar.Editor.Replay(request, progress, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DriftResultInfo> GetDriftAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.GetDrift(cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DecisionResultInfo> RevertCommitAsync(RevertCommitParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.Revert(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.IssueWrit(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<ListWritsResult> ListWritsAsync(CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(sidecar.Editor.ListWrits());
    }

    /// <inheritdoc />
    public Task<EmptyResult> RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.RevokeWrit(request, connection.Reviewer), CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(sidecar.Editor.GetPolicy());
    }

    /// <inheritdoc />
    public Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => sidecar.Editor.AdoptPolicy(request, connection.Reviewer), CancellationToken.None);
    }

    private Progress? ProgressFor(string? token) =>
        string.IsNullOrEmpty(token) ? null : new Progress(connection, token);

    /// <summary>Sends throttled <c>ledger/didProgress</c> notifications (at most every 50 ms, plus the last).</summary>
    private sealed class Progress(ClientConnection connection, string token) : IProgress<LedgerProgress>
    {
        private long _lastTicks;

        public void Report(LedgerProgress value)
        {
            var now = Environment.TickCount64;
            if (value.Done < value.Total && now - Interlocked.Read(ref _lastTicks) < 50)
            {
                return;
            }
            Interlocked.Exchange(ref _lastTicks, now);
            connection.Notifications.Enqueue(ProtocolMethods.LedgerDidProgress, new LedgerDidProgressParams { Token = token, Done = value.Done, Total = value.Total });
        }
    }
}
