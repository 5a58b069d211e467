// What the CLI asks of the runtime as an operator, whether through the sidecar socket or the ledger opened directly.
using OpenThymos.Cli.Errors;
using OpenThymos.Core.Replay;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Transport;

/// <summary>The editor surface as the CLI uses it. Refusals throw <see cref="CliException"/>.</summary>
internal interface IOperatorBackend : IAsyncDisposable
{
    /// <summary>How this backend reaches the runtime, for messages.</summary>
    string Description { get; }

    /// <summary>Lists proposals.</summary>
    Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken);

    /// <summary>Gets a proposal in full.</summary>
    Task<GetProposalResult> GetProposalAsync(string proposalId, CancellationToken cancellationToken);

    /// <summary>Approves hunks of a proposal.</summary>
    Task<DecisionResultInfo> ApproveAsync(ApproveProposalParams request, CancellationToken cancellationToken);

    /// <summary>Rejects hunks of a proposal.</summary>
    Task<DecisionResultInfo> RejectAsync(RejectProposalParams request, CancellationToken cancellationToken);

    /// <summary>A page of the timeline, newest first.</summary>
    Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken);

    /// <summary>One entry with its payload.</summary>
    Task<GetEntryResult> GetEntryAsync(long seq, CancellationToken cancellationToken);

    /// <summary>Verifies the ledger.</summary>
    Task<VerifyResultInfo> VerifyAsync(IProgress<LedgerProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Replays the ledger up to a seq.</summary>
    Task<ReplayResultInfo> ReplayAsync(long? toSeq, CancellationToken cancellationToken);

    /// <summary>Compares the ledger's world with the disk.</summary>
    Task<DriftResultInfo> GetDriftAsync(CancellationToken cancellationToken);

    /// <summary>Reverts a commit.</summary>
    Task<DecisionResultInfo> RevertAsync(RevertCommitParams request, CancellationToken cancellationToken);

    /// <summary>Issues a writ.</summary>
    Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken);

    /// <summary>Revokes a writ.</summary>
    Task RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken);

    /// <summary>The policy in force and how the file on disk compares.</summary>
    Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken);

    /// <summary>Adopts the policy file on disk, if its hash is the one reviewed.</summary>
    Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken);
}
