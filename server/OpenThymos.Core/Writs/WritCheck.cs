// The result of checking a change against a writ: refusals are ordinary outcomes, not exceptions.
using System.Diagnostics.CodeAnalysis;

namespace OpenThymos.Core.Writs;

/// <summary>Either allowed, or refused with a stable code and a user-facing reason.</summary>
public sealed record WritCheck
{
    private WritCheck(WritRefusalCode? code, string? reason)
    {
        Code = code;
        Reason = reason;
    }

    /// <summary>The shared allowed result.</summary>
    public static WritCheck Allowed { get; } = new(null, null);

    /// <summary>True when the writ covers the change.</summary>
    [MemberNotNullWhen(false, nameof(Code), nameof(Reason))]
    public bool IsAllowed => Code is null;

    /// <summary>The refusal code; null when allowed.</summary>
    public WritRefusalCode? Code { get; }

    /// <summary>A sentence naming the writ, the path and what to do; null when allowed.</summary>
    public string? Reason { get; }

    internal static WritCheck Refused(WritRefusalCode code, string reason) => new(code, reason);
}
