// Budgets are charged up the writ chain: what delegated writs stage counts against every writ they descend from.
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class WritChainBudgetTests
{
    [Fact]
    public void ThreeChildrenOfAParentWithTwoProposalsStageAtMostTwoProposalsTogether()
    {
        using var harness = new RuntimeHarness();
        var parent = Issue(harness, new WritBudget(2, null, null), parentId: null);
        var children = Enumerable.Range(0, 3).Select(_ => Open(harness, Issue(harness, new WritBudget(2, null, null), parent.Writ.Id))).ToList();

        var results = new List<SubmitResult>();
        var file = 0;
        foreach (var child in children)
        {
            for (var i = 0; i < 2; i++)
            {
                results.Add(harness.Submit(child, RuntimeHarness.Create($"f{file++}.txt", "x\n")));
            }
        }

        Assert.Equal(2, results.Count(r => r.Outcome == SubmitOutcome.Staged));
        var refused = results.Where(r => r.Outcome != SubmitOutcome.Staged).ToList();
        Assert.Equal(4, refused.Count);
        Assert.All(refused, r => Assert.Equal(RuntimeErrorCode.WritRefused, r.Error!.Code));
        Assert.All(refused, r => Assert.Contains($"ancestor {parent.Writ.Id} allows 2 proposals and 2 are already staged under it and the writs delegated from it", r.Error!.Message, StringComparison.Ordinal));
        Assert.Equal(2, harness.Runtime.State.Writs[parent.Writ.Id].ProposalsStaged);
    }

    [Fact]
    public void FilesTouchedUnderAGrandchildCountAgainstItsParentAfterARestart()
    {
        using var harness = new RuntimeHarness();
        var grandparent = Issue(harness, new WritBudget(null, 3, null), parentId: null);
        var parent = Issue(harness, new WritBudget(null, 2, null), grandparent.Writ.Id);
        var first = Issue(harness, new WritBudget(null, 2, null), parent.Writ.Id);
        var second = Issue(harness, new WritBudget(null, 2, null), parent.Writ.Id);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(Open(harness, first), RuntimeHarness.Create("a.txt", "a\n")).Outcome);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(Open(harness, second), RuntimeHarness.Create("b.txt", "b\n")).Outcome);

        harness.Restart();
        var third = harness.Submit(Open(harness, second), RuntimeHarness.Create("c.txt", "c\n"));

        Assert.Equal(RuntimeErrorCode.WritRefused, third.Error!.Code);
        Assert.Contains($"ancestor {parent.Writ.Id} allows 2 files and 2 are already touched under it and the writs delegated from it", third.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Runtime.State.Writs[grandparent.Writ.Id].FilesTouched.Count);
    }

    [Fact]
    public void BytesProposedUnderOneChildCountAgainstItsSiblingThroughTheirParent()
    {
        using var harness = new RuntimeHarness();
        var parent = Issue(harness, new WritBudget(null, null, 10), parentId: null);
        var first = Issue(harness, new WritBudget(null, null, 10), parent.Writ.Id);
        var second = Issue(harness, new WritBudget(null, null, 10), parent.Writ.Id);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(Open(harness, first), RuntimeHarness.Create("a.txt", "12345\n")).Outcome);

        var sibling = harness.Submit(Open(harness, second), RuntimeHarness.Create("b.txt", "1234\n"));

        Assert.Equal(RuntimeErrorCode.WritRefused, sibling.Error!.Code);
        Assert.Contains($"ancestor {parent.Writ.Id} allows 10 bytes and 6 are used under it and the writs delegated from it", sibling.Error.Message, StringComparison.Ordinal);
        Assert.Equal(6, harness.Runtime.State.Writs[parent.Writ.Id].BytesProposed);
    }

    private static IssuedWrit Issue(RuntimeHarness harness, WritBudget budget, string? parentId)
    {
        // Each generation expires earlier than the one it descends from, as delegation requires.
        var depth = 0;
        for (var id = parentId; id is not null; id = harness.Runtime.State.Writs[id].Writ.ParentId)
        {
            depth++;
        }

        var (issued, error) = harness.Runtime.IssueWrit(
            new WritRequest("agent", "s-" + Guid.NewGuid().ToString("N")[..6], ["**"], null, Effects.All, budget, TimeSpan.FromMinutes(60 - (10 * depth)), parentId), "human:tester");
        Assert.True(error is null, error?.Message);
        return issued!;
    }

    private static AgentSession Open(RuntimeHarness harness, IssuedWrit writ)
    {
        var (session, error) = harness.Runtime.OpenSession(writ.Token);
        Assert.True(error is null, error?.Message);
        return session!;
    }
}
