// The outcome of submitting an intent.
namespace OpenThymos.Core.Runtime;

/// <summary>What happened to a submitted intent.</summary>
public enum SubmitOutcome
{
    /// <summary>A new proposal awaits review.</summary>
    Staged,

    /// <summary>The same intent is already pending (or the same nonce was sent again); nothing new was created.</summary>
    Duplicate,

    /// <summary>The policy auto-approved it and it was applied (see <see cref="SubmitResult.Decision"/>).</summary>
    AutoApproved,

    /// <summary>The intent was refused (see <see cref="SubmitResult.Error"/>); the refusal is ledgered.</summary>
    Refused,
}

/// <summary>The result of <see cref="ThymosRuntime.Submit"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ProposalId">The proposal staged or found, if any.</param>
/// <param name="Error">Why it was refused, if it was.</param>
/// <param name="Decision">For an auto-approval, the decision's result.</param>
public sealed record SubmitResult(SubmitOutcome Outcome, string? ProposalId, RuntimeError? Error = null, DecisionResult? Decision = null);
