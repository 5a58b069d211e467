// A fixed example writ that tests vary with 'with' expressions, so each case shows only what differs.
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Tests.Writs;

internal static class TestWrits
{
    public static readonly DateTimeOffset Issued = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static Writ Root { get; } = new()
    {
        Id = "w_00000000000000aa",
        Agent = "claude-code",
        Session = "s_1",
        Include = ["src/**", "docs/*.md"],
        Exclude = ["src/generated/**"],
        Effects = Effects.Create | Effects.Modify,
        Budget = new WritBudget(10, 5, 1000),
        IssuedAt = Issued,
        ExpiresAt = Issued.AddHours(1),
        ParentId = null,
        Nonce = "0123456789abcdef0123456789abcdef",
        Issuer = "user:alice",
        WorkspaceId = "ws-1",
    };

    public static Writ Child { get; } = Root with { Id = "w_00000000000000bb", ParentId = Root.Id, Include = ["src/app/**"], Budget = new WritBudget(5, 2, 500) };
}
