// A writ: the capability an agent works under — which paths, which effects, how much, until when.
using System.Security.Cryptography;

namespace OpenThymos.Core.Writs;

/// <summary>
/// A capability issued to an agent for one session. It is signed in its canonical form (see
/// <see cref="WritCanonicalForm"/>). Times are kept in UTC at millisecond precision, because the
/// canonical form stores Unix milliseconds and a signed writ must round-trip exactly.
/// </summary>
public sealed record Writ
{
    /// <summary>The writ's id, "w_" followed by 16 hex digits (see <see cref="NewId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The agent the writ is for, such as "claude-code".</summary>
    public required string Agent { get; init; }

    /// <summary>The session the writ belongs to.</summary>
    public required string Session { get; init; }

    /// <summary>Globs of paths the writ covers; a path must match one of them.</summary>
    public required IReadOnlyList<string> Include { get; init; }

    /// <summary>Globs of paths the writ never covers.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The effects the writ allows.</summary>
    public required Effects Effects { get; init; }

    /// <summary>Limits on total work under the writ.</summary>
    public WritBudget Budget { get; init; } = WritBudget.Unlimited;

    /// <summary>When the writ becomes valid (UTC, milliseconds).</summary>
    public required DateTimeOffset IssuedAt { get; init => field = ToUtcMilliseconds(value); }

    /// <summary>When the writ stops being valid (UTC, milliseconds); it is invalid from this instant on.</summary>
    public required DateTimeOffset ExpiresAt { get; init => field = ToUtcMilliseconds(value); }

    /// <summary>The writ this one was delegated from; null for a root writ.</summary>
    public string? ParentId { get; init; }

    /// <summary>32 random hex digits, so two otherwise identical writs never share a signature.</summary>
    public required string Nonce { get; init; }

    /// <summary>Who issued the writ (a user or the runtime).</summary>
    public required string Issuer { get; init; }

    /// <summary>The workspace the writ is for.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A fresh id: "w_" and 16 random lowercase hex digits.</summary>
    public static string NewId() => "w_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A fresh nonce: 32 random lowercase hex digits.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static DateTimeOffset ToUtcMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
