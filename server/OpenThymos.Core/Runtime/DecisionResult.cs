// The outcome of a decision (approve, reject) or a revert.
namespace OpenThymos.Core.Runtime;

/// <summary>What a decision did.</summary>
public enum DecisionOutcome
{
    /// <summary>The approved hunks were applied and committed.</summary>
    Committed,

    /// <summary>The hunks were rejected.</summary>
    Rejected,

    /// <summary>The files changed since the proposal, without overlap: a rebased revision awaits review; nothing was applied.</summary>
    Rebased,

    /// <summary>A reviewer's amendment was recorded as a new revision (or equalled the current one); nothing was applied.</summary>
    Amended,

    /// <summary>The files changed in lines the proposal touches: it is stale; nothing was applied.</summary>
    Stale,

    /// <summary>Applying failed; the files were left (or put back) at their before state and the failure is ledgered.</summary>
    Failed,

    /// <summary>The request was refused (see the error); nothing was recorded.</summary>
    Refused,
}

/// <summary>The result of a decision or revert.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ProposalId">The proposal concerned.</param>
/// <param name="Revision">The proposal's revision after the decision.</param>
/// <param name="CommitSeq">The commit (or revert) entry, when something was applied.</param>
/// <param name="Error">The refusal or failure, if any.</param>
public sealed record DecisionResult(DecisionOutcome Outcome, string? ProposalId, int Revision, long? CommitSeq = null, RuntimeError? Error = null);
