// Refused intents are ledgered as bounded summaries, and repeats of one session's refusal within a window as one count.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class RefusalAggregationTests
{
    [Fact]
    public void ARefusedIntentIsRecordedAsABoundedSummaryNeverItsContent()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["src/**"]);
        var head = harness.Runtime.Ledger.Head.Seq;
        var files = Enumerable.Range(0, 100).Select(i => RuntimeHarness.Create($"out/{new string('p', 400)}{i}.txt", "SECRET-CONTENT " + new string('c', 10_000))).ToArray();

        var result = harness.Runtime.Submit(session, new Intent("big-refused", "D" + new string('d', 50_000), files));

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        var entry = Assert.Single(harness.Runtime.Ledger.Read(head + 1, long.MaxValue));
        Assert.True(entry.Payload.Length < 8 * 1024, $"the refusal entry is {entry.Payload.Length} bytes for a request of over a megabyte");
        var rejection = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal(8, rejection.Paths.Count);
        Assert.Equal(100, rejection.PathCount);
        Assert.True(rejection.RequestBytes > 1_000_000);
        Assert.Equal(64, rejection.Digest!.Length);
        Assert.DoesNotContain("SECRET-CONTENT", System.Text.Encoding.UTF8.GetString(entry.Payload), StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedRefusalsOfOneSessionAreOneEntryPlusOneAggregatePerWindowAndTheCountsAddUp()
    {
        var clock = new SettableClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new RuntimeHarness(clock);
        var session = harness.Grant(["src/**"]);
        var other = harness.Grant(["src/**"], agent: "other-agent");
        var head = harness.Runtime.Ledger.Head.Seq;

        for (var attempt = 0; attempt < 300; attempt++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            var refused = harness.Runtime.Submit(attempt % 10 == 0 ? other : session, new Intent("n" + attempt, "x", [RuntimeHarness.Create($"out/{attempt}.txt", new string('c', 5000))]));
            Assert.Equal(SubmitOutcome.Refused, refused.Outcome);
        }

        harness.Runtime.FlushRefusals();
        var added = harness.Runtime.Ledger.Read(head + 1, long.MaxValue).Select(e => WorkspaceLedger.Deserialize(e, LedgerJsonContext.Default.RejectionPayload)).ToList();
        // 150 s of refusals in 60 s windows: three windows per session, each one entry plus one aggregate.
        Assert.Equal(300, added.Sum(r => r.Attempts));
        Assert.Equal(30, added.Where(r => r.Agent == "other-agent").Sum(r => r.Attempts));
        Assert.True(added.Count <= 12, $"{added.Count} entries for 300 refusals");
        Assert.All(added.Where(r => r.Attempts > 1), r => Assert.True(r.FirstTime <= r.LastTime && r.Samples!.Count > 0));
    }
}
