// The editor surface: what VS Code (over stdio) and the CLI (over the socket as operator) may call.
using StreamJsonRpc;

namespace OpenThymos.Server.Protocol;

/// <summary>
/// Requests of the editor surface. Each takes one params object and a trailing cancellation token;
/// implementations convert and delegate to the core runtime.
/// </summary>
public interface IEditorProtocol
{
    /// <summary>LSP initialize.</summary>
    [JsonRpcMethod(ProtocolMethods.Initialize, UseSingleObjectParameterDeserialization = true)]
    Task<InitializeResult> InitializeAsync(InitializeParams request, CancellationToken cancellationToken);

    /// <summary>LSP shutdown.</summary>
    [JsonRpcMethod(ProtocolMethods.Shutdown)]
    Task<EmptyResult?> ShutdownAsync(CancellationToken cancellationToken);

    /// <summary>Pending and recent proposals.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalList, UseSingleObjectParameterDeserialization = true)]
    Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken);

    /// <summary>One proposal in full.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalGet, UseSingleObjectParameterDeserialization = true)]
    Task<GetProposalResult> GetProposalAsync(GetProposalParams request, CancellationToken cancellationToken);

    /// <summary>Approve.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalApprove, UseSingleObjectParameterDeserialization = true)]
    Task<DecisionResultInfo> ApproveProposalAsync(ApproveProposalParams request, CancellationToken cancellationToken);

    /// <summary>Reject.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalReject, UseSingleObjectParameterDeserialization = true)]
    Task<DecisionResultInfo> RejectProposalAsync(RejectProposalParams request, CancellationToken cancellationToken);

    /// <summary>Amend: the reviewer's text for one file becomes a new revision.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalAmend, UseSingleObjectParameterDeserialization = true)]
    Task<AmendProposalResult> AmendProposalAsync(AmendProposalParams request, CancellationToken cancellationToken);

    /// <summary>A timeline page.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerListEntries, UseSingleObjectParameterDeserialization = true)]
    Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken);

    /// <summary>One entry.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerGetEntry, UseSingleObjectParameterDeserialization = true)]
    Task<GetEntryResult> GetEntryAsync(GetEntryParams request, CancellationToken cancellationToken);

    /// <summary>A file at a seq.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerGetFileAtSeq, UseSingleObjectParameterDeserialization = true)]
    Task<GetFileAtSeqResult> GetFileAtSeqAsync(GetFileAtSeqParams request, CancellationToken cancellationToken);

    /// <summary>A blob by hash.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerGetBlob, UseSingleObjectParameterDeserialization = true)]
    Task<GetBlobResult> GetBlobAsync(GetBlobParams request, CancellationToken cancellationToken);

    /// <summary>Verify.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerVerify, UseSingleObjectParameterDeserialization = true)]
    Task<VerifyResultInfo> VerifyAsync(LedgerWorkParams request, CancellationToken cancellationToken);

    /// <summary>Replay.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerReplay, UseSingleObjectParameterDeserialization = true)]
    Task<ReplayResultInfo> ReplayAsync(LedgerWorkParams request, CancellationToken cancellationToken);

    /// <summary>Drift.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerGetDrift, UseSingleObjectParameterDeserialization = true)]
    Task<DriftResultInfo> GetDriftAsync(LedgerWorkParams request, CancellationToken cancellationToken);

    /// <summary>Revert a commit.</summary>
    [JsonRpcMethod(ProtocolMethods.LedgerRevertCommit, UseSingleObjectParameterDeserialization = true)]
    Task<DecisionResultInfo> RevertCommitAsync(RevertCommitParams request, CancellationToken cancellationToken);

    /// <summary>Issue a writ.</summary>
    [JsonRpcMethod(ProtocolMethods.WritIssue, UseSingleObjectParameterDeserialization = true)]
    Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken);

    /// <summary>List writs.</summary>
    [JsonRpcMethod(ProtocolMethods.WritList)]
    Task<ListWritsResult> ListWritsAsync(CancellationToken cancellationToken);

    /// <summary>Revoke a writ.</summary>
    [JsonRpcMethod(ProtocolMethods.WritRevoke, UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken);

    /// <summary>The policy in force.</summary>
    [JsonRpcMethod(ProtocolMethods.PolicyGet)]
    Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken);

    /// <summary>Adopts the policy file on disk as the policy in force, if it is the text the reviewer reviewed.</summary>
    [JsonRpcMethod(ProtocolMethods.PolicyAdopt)]
    Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken);
}
