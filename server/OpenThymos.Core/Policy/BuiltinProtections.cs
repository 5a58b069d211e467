// Protections every workspace gets, which a user policy can tighten but never weaken.
namespace OpenThymos.Core.Policy;

/// <summary>
/// Floors applied after the user's rules. Repository metadata and the runtime's own folder are
/// always denied, because an agent that can write them can rewrite history or its own policy;
/// secrets and credentials always need a human, because leaking or swapping them is silent.
/// </summary>
public static class BuiltinProtections
{
    /// <summary>Globs whose matches are always denied.</summary>
    public static IReadOnlyList<string> DeniedPatterns { get; } = [".git", "**/.git/**", "/.thymos", ".thymos/**"];

    /// <summary>Globs whose matches always need approval at least.</summary>
    public static IReadOnlyList<string> ApprovalPatterns { get; } =
    [
        ".env*", "*.pem", "*.key", "*.p12", "*.pfx", "*.crt", "*.cer", "*.der",
        "id_rsa*", "id_ed25519*", "id_ecdsa*", "*.keystore", "*.jks", ".npmrc", ".pypirc", ".netrc",
    ];

    private static readonly Glob[] Denied = [.. DeniedPatterns.Select(Glob.Parse)];
    private static readonly Glob[] NeedApproval = [.. ApprovalPatterns.Select(Glob.Parse)];

    /// <summary>
    /// The floor for a path and the pattern that sets it, or (AutoApprove, null) when no
    /// protection applies.
    /// </summary>
    public static (PolicyOutcome Floor, string? Pattern) FloorFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var denied = Denied.FirstOrDefault(glob => glob.IsMatch(path));
        if (denied is not null)
        {
            return (PolicyOutcome.Deny, denied.Pattern);
        }

        var approval = NeedApproval.FirstOrDefault(glob => glob.IsMatch(path));
        return approval is not null ? (PolicyOutcome.RequireApproval, approval.Pattern) : (PolicyOutcome.AutoApprove, null);
    }
}
