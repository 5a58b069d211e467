// What the workspace policy says should happen to a proposed change, ordered from weakest to strictest.
namespace OpenThymos.Core.Policy;

/// <summary>
/// A policy verdict. The numeric order is the strictness order, so combining verdicts is taking
/// the maximum: Deny beats RequireApproval beats AutoApprove. The values are recorded; never renumber.
/// </summary>
public enum PolicyOutcome
{
    /// <summary>Apply without asking a human ("auto-approve" in JSON).</summary>
    AutoApprove = 0,

    /// <summary>Ask a human before applying ("require-approval" in JSON).</summary>
    RequireApproval = 1,

    /// <summary>Refuse the change ("deny" in JSON).</summary>
    Deny = 2,
}
