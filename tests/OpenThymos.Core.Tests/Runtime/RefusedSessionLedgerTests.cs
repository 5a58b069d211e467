// A refused session/open is a refused attempt like any other: it is ledgered, repeats within a window by count.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class RefusedSessionLedgerTests
{
    [Fact]
    public void AForgedTokenIsLedgeredWithoutNamingTheWritItClaims()
    {
        using var harness = new RuntimeHarness();
        var token = harness.Runtime.State.Writs[harness.Session.WritId].Token;
        var forged = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = harness.Runtime.OpenSession(forged).Error!;

        Assert.Equal(RuntimeErrorCode.WritUnknown, error.Code);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Null(rejection.ProposalId);
        Assert.Equal(RejectionReason.SessionRefused, rejection.ReasonCode);
        // The token is not this workspace's: its claims (agent, writ id) are not recorded as facts.
        Assert.Null(rejection.Agent);
        Assert.Null(rejection.WritId);
        Assert.Contains("not issued by this workspace", rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(rejection.Paths);
    }

    [Fact]
    public void AGarbageTokenIsLedgered()
    {
        using var harness = new RuntimeHarness();
        var head = harness.Runtime.Ledger.Head.Seq;
        Assert.Equal(RuntimeErrorCode.WritUnknown, harness.Runtime.OpenSession("thymos-writ-v1.garbage").Error!.Code);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Contains("not valid", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARevokedWritsSessionIsLedgeredNamingTheWritAndItsAgent()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["**"], agent: "revoked-agent");
        Assert.Null(harness.Runtime.RevokeWrit(session.WritId, "human:tester", "done"));
        var head = harness.Runtime.Ledger.Head.Seq;

        Assert.Equal(RuntimeErrorCode.WritRevoked, harness.Runtime.OpenSession(harness.Runtime.State.Writs[session.WritId].Token).Error!.Code);

        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal(RejectionReason.SessionRefused, rejection.ReasonCode);
        Assert.Contains("revoked", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("revoked-agent", rejection.Agent);
        Assert.Equal(session.WritId, rejection.WritId);
    }

    [Fact]
    public void AnExpiredWritsSessionIsLedgeredNamingTheWrit()
    {
        var clock = new SettableClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new RuntimeHarness(clock);
        var session = harness.Grant(["**"], lifetime: TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromMinutes(11));
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = harness.Runtime.OpenSession(harness.Runtime.State.Writs[session.WritId].Token).Error!;

        Assert.Equal(RuntimeErrorCode.WritRefused, error.Code);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal(RejectionReason.SessionRefused, rejection.ReasonCode);
        Assert.Equal(session.WritId, rejection.WritId);
        Assert.Contains("expired", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedTokensInOneWindowAreOneEntryAndOneAggregateWhoseCountsAddUpToTheAttempts()
    {
        var clock = new SettableClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new RuntimeHarness(clock);
        var head = harness.Runtime.Ledger.Head.Seq;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(RuntimeErrorCode.WritUnknown, harness.Runtime.OpenSession(attempt % 2 == 0 ? "thymos-writ-v1.same-garbage" : $"thymos-writ-v1.garbage-{attempt}").Error!.Code);
        }

        // The first refusal is ledgered at once; the 49 repeats wait, counted, in the open window.
        Assert.Equal(head + 1, harness.Runtime.Ledger.Head.Seq);

        // The window closes: one aggregate entry counts them, with their times and sample digests, never a token.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.NotNull(harness.Runtime.OpenSession("thymos-writ-v1.later-garbage").Error);
        var added = harness.Runtime.Ledger.Read(head + 1, long.MaxValue).Select(e => WorkspaceLedger.Deserialize(e, LedgerJsonContext.Default.RejectionPayload)).ToList();
        Assert.Equal(3, added.Count);
        Assert.Equal([1L, 49L, 1L], added.Select(r => r.Attempts));
        var aggregate = added[1];
        Assert.Equal(RejectionReason.SessionRefused, aggregate.ReasonCode);
        Assert.True(aggregate.FirstTime < aggregate.LastTime);
        Assert.Equal(RefusalWindows.MaxSamples, aggregate.Samples!.Count);
        Assert.All(harness.Runtime.Ledger.Read(head + 1, long.MaxValue), e => Assert.DoesNotContain("garbage", System.Text.Encoding.UTF8.GetString(e.Payload), StringComparison.Ordinal));
    }

    [Fact]
    public void CountedRefusalsAreLedgeredWhenTheRuntimeStops()
    {
        using var harness = new RuntimeHarness();
        var head = harness.Runtime.Ledger.Head.Seq;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            Assert.NotNull(harness.Runtime.OpenSession("thymos-writ-v1.x" + attempt).Error);
        }

        harness.Restart();
        var added = harness.Runtime.Ledger.Read(head + 1, long.MaxValue).Select(e => WorkspaceLedger.Deserialize(e, LedgerJsonContext.Default.RejectionPayload)).ToList();
        Assert.Equal(20, added.Sum(r => r.Attempts));
        Assert.Equal(2, added.Count);
    }

    [Fact]
    public void ASessionWithAGoodTokenLedgersNothing()
    {
        using var harness = new RuntimeHarness();
        var head = harness.Runtime.Ledger.Head.Seq;
        var (session, error) = harness.Runtime.OpenSession(harness.Runtime.State.Writs[harness.Session.WritId].Token);
        Assert.Null(error);
        Assert.Equal(harness.Session.WritId, session!.WritId);
        Assert.Equal(head, harness.Runtime.Ledger.Head.Seq);
    }

    private static RejectionPayload OnlyRejectionAfter(RuntimeHarness harness, long head)
    {
        var added = harness.Runtime.Ledger.Read(head + 1, long.MaxValue).ToList();
        var entry = Assert.Single(added);
        Assert.Equal((EntryKind.Rejection, "runtime"), (entry.Kind, entry.Actor));
        return WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
    }
}
