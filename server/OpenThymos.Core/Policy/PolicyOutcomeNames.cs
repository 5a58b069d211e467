// Converts policy outcomes to and from their JSON names.
namespace OpenThymos.Core.Policy;

/// <summary>The JSON names of <see cref="PolicyOutcome"/>: "auto-approve", "require-approval", "deny".</summary>
public static class PolicyOutcomeNames
{
    /// <summary>Every accepted name, in strictness order.</summary>
    public static IReadOnlyList<string> All { get; } = ["auto-approve", "require-approval", "deny"];

    /// <summary>The JSON name of an outcome.</summary>
    public static string Name(PolicyOutcome outcome) => outcome switch
    {
        PolicyOutcome.AutoApprove => "auto-approve",
        PolicyOutcome.RequireApproval => "require-approval",
        PolicyOutcome.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown policy outcome."),
    };

    /// <summary>Parses a JSON name (case-sensitive); false for anything else.</summary>
    public static bool TryParse(string name, out PolicyOutcome outcome)
    {
        switch (name)
        {
            case "auto-approve":
                outcome = PolicyOutcome.AutoApprove;
                return true;
            case "require-approval":
                outcome = PolicyOutcome.RequireApproval;
                return true;
            case "deny":
                outcome = PolicyOutcome.Deny;
                return true;
            default:
                outcome = PolicyOutcome.RequireApproval;
                return false;
        }
    }
}
