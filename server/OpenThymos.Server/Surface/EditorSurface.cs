// The editor surface written once: what a reviewer (the editor, or the CLI as operator) may ask of the runtime.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>
/// Every editor verb over one open runtime: takes the wire params and the reviewer who asks, converts, calls the runtime
/// and returns the protocol's records. Refusals throw <see cref="SurfaceException"/>. The sidecar's JSON-RPC target
/// gates a connection and delegates here; the CLI's local mode opens a runtime for one write and calls the same
/// method, and answers reads from a ledger opened read-only through <see cref="LedgerReads"/>, which these reads use too.
/// </summary>
/// <param name="runtime">The open runtime.</param>
/// <param name="verifiedWorld">Where a clean verify leaves its world for replay and drift (the sidecar's); null: none kept.</param>
public sealed class EditorSurface(ThymosRuntime runtime, VerifiedWorldCache? verifiedWorld = null)
{
    private ILedgerStore Store => runtime.Ledger.Store;

    /// <summary><c>proposal/list</c>.</summary>
    public ListProposalsResult ListProposals(ListProposalsParams? request) =>
        LedgerReads.ListProposals(runtime.ListProposals(), request);

    /// <summary><c>proposal/get</c>.</summary>
    public GetProposalResult GetProposal(GetProposalParams? request) =>
        LedgerReads.GetProposal(request, runtime.GetProposal, runtime.Ledger.ReadBlob);

    /// <summary><c>proposal/approve</c> by <paramref name="reviewer"/>.</summary>
    public DecisionResultInfo Approve(ApproveProposalParams? request, string reviewer) =>
        ProtocolConversions.ToDecisionInfo(runtime.Approve(ProtocolConversions.ToApproveRequest(SurfaceException.Require(request), reviewer)));

    /// <summary><c>proposal/reject</c> by <paramref name="reviewer"/>.</summary>
    public DecisionResultInfo Reject(RejectProposalParams? request, string reviewer) =>
        ProtocolConversions.ToDecisionInfo(runtime.Reject(ProtocolConversions.ToRejectRequest(SurfaceException.Require(request), reviewer)));

    /// <summary><c>proposal/amend</c> by <paramref name="reviewer"/>.</summary>
    public AmendProposalResult Amend(AmendProposalParams? request, string reviewer)
    {
        var core = ProtocolConversions.ToAmendRequest(SurfaceException.Require(request), reviewer);
        var result = runtime.Amend(core);
        return ProtocolConversions.ToAmendResult(result, runtime.GetProposal(core.ProposalId), core);
    }

    /// <summary>
    /// <c>ledger/listEntries</c>: one page of the timeline. What the reviewer reads accounts for every refused attempt so
    /// far (counted repeats become aggregate entries first).
    /// </summary>
    public ListEntriesResult ListEntries(ListEntriesParams? request, CancellationToken cancellationToken)
    {
        runtime.FlushRefusals();
        return TimelineReader.Read(Store, request ?? new ListEntriesParams(), cancellationToken);
    }

    /// <summary><c>ledger/getEntry</c>.</summary>
    public GetEntryResult GetEntry(GetEntryParams? request) => LedgerReads.GetEntry(Store, request);

    /// <summary><c>ledger/getFileAtSeq</c>.</summary>
    public GetFileAtSeqResult GetFileAtSeq(GetFileAtSeqParams? request) => LedgerReads.GetFileAtSeq(Store, request);

    /// <summary><c>ledger/getBlob</c>.</summary>
    public GetBlobResult GetBlob(GetBlobParams? request) => LedgerReads.GetBlob(Store, request);

    /// <summary><c>ledger/verify</c>: the whole chain, after the pending refusals are ledgered; a clean verify keeps its world.</summary>
    public VerifyResultInfo Verify(IProgress<LedgerProgress>? progress, CancellationToken cancellationToken)
    {
        runtime.FlushRefusals();
        var (result, world) = LedgerVerifier.VerifyAndReplay(Store, runtime.Ledger.KeyDirectory, progress, runtime.Ledger.Stores, cancellationToken);
        verifiedWorld?.Store(world);
        return ProtocolConversions.ToVerifyInfo(result);
    }

    /// <summary><c>ledger/replay</c>.</summary>
    public ReplayResultInfo Replay(LedgerWorkParams? request, IProgress<LedgerProgress>? progress, CancellationToken cancellationToken) =>
        LedgerReads.Replay(Store, request?.ToSeq, verifiedWorld, progress, cancellationToken);

    /// <summary>
    /// <c>ledger/getDrift</c>: the world at the head against the disk. The runtime recovered at open and applies what it
    /// commits, so (unlike the CLI on a ledger no runtime holds) no file is waiting for recovery to redo it.
    /// </summary>
    public DriftResultInfo GetDrift(CancellationToken cancellationToken)
    {
        var world = verifiedWorld?.At(Store.MaxSeq()) ?? WorldReplayer.Replay(Store, cancellationToken: cancellationToken);
        return ProtocolConversions.ToDriftInfo(WorldReplayer.Drift(world, runtime.Workspace, cancellationToken));
    }

    /// <summary><c>ledger/revertCommit</c> by <paramref name="reviewer"/>.</summary>
    public DecisionResultInfo Revert(RevertCommitParams? request, string reviewer)
    {
        request = SurfaceException.Require(request);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "Reverted by the reviewer." : request.Reason;
        return ProtocolConversions.ToDecisionInfo(runtime.Revert(request.Seq, reviewer, reason));
    }

    /// <summary><c>writ/issue</c> by <paramref name="reviewer"/>: the writ and its token.</summary>
    public IssueWritResult IssueWrit(IssueWritParams? request, string reviewer)
    {
        var (issued, error) = runtime.IssueWrit(ProtocolConversions.ToWritRequest(SurfaceException.Require(request)), reviewer);
        if (error is not null)
        {
            throw SurfaceException.Runtime(error);
        }
        var state = runtime.ListWrits().First(w => w.Id == issued!.Writ.Id);
        return new IssueWritResult { Writ = ProtocolConversions.ToWritInfo(state, runtime.Clock.GetUtcNow()), Token = issued!.Token };
    }

    /// <summary><c>writ/list</c>.</summary>
    public ListWritsResult ListWrits()
    {
        var now = runtime.Clock.GetUtcNow();
        return new ListWritsResult { Writs = [.. runtime.ListWrits().Select(w => ProtocolConversions.ToWritInfo(w, now))] };
    }

    /// <summary><c>writ/revoke</c> by <paramref name="reviewer"/>.</summary>
    public EmptyResult RevokeWrit(RevokeWritParams? request, string reviewer)
    {
        request = SurfaceException.Require(request);
        var id = SurfaceException.RequireText(request.WritId, "writId");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "Revoked by the reviewer." : request.Reason;
        var error = runtime.RevokeWrit(id, reviewer, reason);
        return error is null ? new EmptyResult() : throw SurfaceException.Runtime(error);
    }

    /// <summary><c>policy/get</c>.</summary>
    public GetPolicyResult GetPolicy() => ProtocolConversions.ToPolicyResult(runtime.GetPolicyStatus());

    /// <summary><c>policy/adopt</c> by <paramref name="reviewer"/>.</summary>
    public GetPolicyResult AdoptPolicy(AdoptPolicyParams? request, string reviewer)
    {
        var hash = SurfaceException.RequireText(SurfaceException.Require(request).Hash, "hash");
        var (status, error) = runtime.AdoptPolicy(hash, reviewer);
        return error is null ? ProtocolConversions.ToPolicyResult(status!) : throw SurfaceException.Runtime(error);
    }
}
