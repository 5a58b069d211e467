// Reverting commits with compensating commits, and refusing when later changes touched the same lines.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class RevertTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    private static long Commit(RuntimeHarness harness, FileIntent intent)
    {
        var result = harness.ApproveAll(harness.Stage(intent));
        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        return result.CommitSeq!.Value;
    }

    [Fact]
    public void RevertRestoresTheFileWithACompensatingEntry()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var commit = Commit(harness, harness.Modify("a.txt", Ten.Replace("3\n", "THREE\n")));

        var result = harness.Runtime.Revert(commit, "human:tester", "not needed");

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(Ten, harness.Workspace.ReadText("a.txt"));
        var revert = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Revert).Single(), LedgerJsonContext.Default.RevertPayload);
        Assert.Equal((commit, "not needed"), (revert.Reverts, revert.Reason));
    }

    [Fact]
    public void RevertKeepsLaterChangesToOtherLines()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var first = Commit(harness, harness.Modify("a.txt", Ten.Replace("2\n", "TWO\n")));
        Commit(harness, harness.Edit("a.txt", "9\n", "NINE\n"));

        Assert.Equal(DecisionOutcome.Committed, harness.Runtime.Revert(first, "human:tester", "").Outcome);
        Assert.Equal(Ten.Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void RevertIsRefusedWhenALaterCommitChangedTheSameLines()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var first = Commit(harness, harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        var second = Commit(harness, harness.Edit("a.txt", "FIVE", "five again"));

        var result = harness.Runtime.Revert(first, "human:tester", "");

        Assert.Equal(RuntimeErrorCode.RevertConflict, result.Error!.Code);
        Assert.Contains($"commit {second}", result.Error.Message);
        Assert.Equal(Ten.Replace("5\n", "five again\n"), harness.Workspace.ReadText("a.txt"));
        Assert.Empty(harness.Entries(EntryKind.Revert));
    }

    [Fact]
    public void RevertingACreateDeletesTheFileAndRevertingADeleteRestoresIt()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("keep.txt", "keep\n");
        var created = Commit(harness, RuntimeHarness.Create("new.txt", "new\n"));
        var deleted = Commit(harness, new FileIntent(FileIntentKind.Delete, "keep.txt", BaseHash: harness.HashOf("keep.txt")));

        harness.Runtime.Revert(created, "human:tester", "");
        harness.Runtime.Revert(deleted, "human:tester", "");

        Assert.False(File.Exists(harness.Workspace.PathOf("new.txt")));
        Assert.Equal("keep\n", harness.Workspace.ReadText("keep.txt"));
    }

    [Fact]
    public void RevertingSomethingThatIsNotACommitIsRefused()
    {
        using var harness = new RuntimeHarness();
        Assert.Equal(RuntimeErrorCode.CommitNotFound, harness.Runtime.Revert(1, "human:tester", "").Error!.Code);
    }
}
