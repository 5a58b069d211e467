// The result of checking a candidate path: refusals are ordinary outcomes, not exceptions.
using System.Diagnostics.CodeAnalysis;

namespace OpenThymos.Core.Paths;

/// <summary>
/// Either an accepted, normalized <see cref="WorkspacePath"/>, or a refusal with a stable
/// <see cref="PathRefusalCode"/> and a sentence for the user.
/// </summary>
public sealed record PathCheck
{
    private PathCheck(WorkspacePath? path, PathRefusalCode? code, string? reason)
    {
        Path = path;
        Code = code;
        Reason = reason;
    }

    /// <summary>True when the path is confined to the workspace; <see cref="Path"/> is then set.</summary>
    [MemberNotNullWhen(true, nameof(Path))]
    [MemberNotNullWhen(false, nameof(Code), nameof(Reason))]
    public bool IsAllowed => Path is not null;

    /// <summary>The normalized path when allowed; otherwise null.</summary>
    public WorkspacePath? Path { get; }

    /// <summary>The refusal code when refused; otherwise null.</summary>
    public PathRefusalCode? Code { get; }

    /// <summary>A user-facing sentence naming the path and what to do instead; null when allowed.</summary>
    public string? Reason { get; }

    internal static PathCheck Allowed(WorkspacePath path) => new(path, null, null);

    internal static PathCheck Refused(PathRefusalCode code, string reason) => new(null, code, reason);
}
