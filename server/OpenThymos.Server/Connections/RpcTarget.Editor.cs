// The editor surface of the per-connection target: the role gate, then the sidecar's EditorSurface.
using OpenThymos.Core.Replay;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;

namespace OpenThymos.Server.Connections;

/// <summary>Editor methods: each checks the connection's role, then delegates (off the reader when it touches the ledger).</summary>
public sealed partial class RpcTarget
{
    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken) =>
        Editor(editor => editor.ListProposals(request));

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(GetProposalParams request, CancellationToken cancellationToken) =>
        Editor(editor => editor.GetProposal(request));

    /// <inheritdoc />
    public Task<DecisionResultInfo> ApproveProposalAsync(ApproveProposalParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.Approve(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<DecisionResultInfo> RejectProposalAsync(RejectProposalParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.Reject(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<AmendProposalResult> AmendProposalAsync(AmendProposalParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.Amend(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.ListEntries(request, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(GetEntryParams request, CancellationToken cancellationToken) =>
        Editor(editor => editor.GetEntry(request));

    /// <inheritdoc />
    public Task<GetFileAtSeqResult> GetFileAtSeqAsync(GetFileAtSeqParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.GetFileAtSeq(request), cancellationToken);

    /// <inheritdoc />
    public Task<GetBlobResult> GetBlobAsync(GetBlobParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.GetBlob(request), cancellationToken);

    /// <inheritdoc />
    public Task<VerifyResultInfo> VerifyAsync(LedgerWorkParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.Verify(ProgressFor(request?.ProgressToken), cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(LedgerWorkParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.Replay(request, ProgressFor(request?.ProgressToken), cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<DriftResultInfo> GetDriftAsync(LedgerWorkParams request, CancellationToken cancellationToken) =>
        EditorRead(editor => editor.GetDrift(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<DecisionResultInfo> RevertCommitAsync(RevertCommitParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.Revert(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.IssueWrit(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<ListWritsResult> ListWritsAsync(CancellationToken cancellationToken) =>
        Editor(editor => editor.ListWrits());

    /// <inheritdoc />
    public Task<EmptyResult> RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.RevokeWrit(request, connection.Reviewer));

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken) =>
        Editor(editor => editor.GetPolicy());

    /// <inheritdoc />
    public Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken) =>
        EditorWrite(editor => editor.AdoptPolicy(request, connection.Reviewer));

    /// <summary>Answers at once, on the reader: for reads of the runtime's memory.</summary>
    private Task<T> Editor<T>(Func<EditorSurface, T> verb)
    {
        Gate(SurfaceKind.Editor);
        return Task.FromResult(verb(sidecar.Editor));
    }

    /// <summary>Answers off the reader, cancellable: for reads of the ledger.</summary>
    private Task<T> EditorRead<T>(Func<EditorSurface, T> verb, CancellationToken cancellationToken)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => verb(sidecar.Editor), cancellationToken);
    }

    /// <summary>Answers off the reader, never cancelled half-way: once asked, the runtime decides and ledgers the outcome.</summary>
    private Task<T> EditorWrite<T>(Func<EditorSurface, T> verb)
    {
        Gate(SurfaceKind.Editor);
        return RunAsync(() => verb(sidecar.Editor), CancellationToken.None);
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
