// A proposal whose files changed underneath it is rebased or refused, never written over the newer edit.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class StaleBaseTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    [Fact]
    public void ApproveRefusesWhenTheHumanEditedTheSameLinesAndKeepsTheHumanEdit()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        var humanEdit = Ten.Replace("5\n", "five, by hand\n");
        harness.Workspace.Write("a.txt", humanEdit);

        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Stale, result.Outcome);
        Assert.Equal(RuntimeErrorCode.StaleBase, result.Error!.Code);
        Assert.Contains("a.txt", result.Error.Message);
        Assert.Equal(humanEdit, harness.Workspace.ReadText("a.txt"));
        Assert.Equal(ProposalStatus.Stale, harness.Runtime.GetProposal(proposalId)!.Status);
        var observed = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.ExternalChangeObserved).Single(), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        Assert.Equal(harness.HashOf("a.txt"), observed.Observed);
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void ApproveRebasesNonOverlappingHunksIntoANewRevisionForReview()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        harness.Workspace.Write("a.txt", "0\n" + Ten.Replace("2\n", "two\n"));

        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Rebased, result.Outcome);
        Assert.Equal(2, result.Revision);
        Assert.Equal("0\n" + Ten.Replace("2\n", "two\n"), harness.Workspace.ReadText("a.txt"));
        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal((2, ProposalStatus.Pending), (proposal.Revision, proposal.Status));
        Assert.Equal(harness.HashOf("a.txt"), proposal.Files["a.txt"].Record.BaseHash);

        // The old revision can no longer be approved; the new one applies on top of the human's edit.
        Assert.Equal(RuntimeErrorCode.RevisionMismatch, harness.Runtime.Approve(new ApproveRequest(proposalId, 1, "human:t", HunkSelection.All)).Error!.Code);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal("0\n" + Ten.Replace("2\n", "two\n").Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AFileDeletedUnderAProposalMakesItStale()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("1\n", "one\n")));
        File.Delete(harness.Workspace.PathOf("a.txt"));

        Assert.Equal(DecisionOutcome.Stale, harness.ApproveAll(proposalId).Outcome);
        Assert.False(File.Exists(harness.Workspace.PathOf("a.txt")));
    }

    [Fact]
    public void ResubmittingTheSameIntentReturnsThePendingProposal()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var first = harness.Submit(harness.Modify("a.txt", "x\n"));
        var second = harness.Submit(harness.Edit("a.txt", Ten, "x\n"));

        Assert.Equal(SubmitOutcome.Staged, first.Outcome);
        Assert.Equal((SubmitOutcome.Duplicate, first.ProposalId), (second.Outcome, second.ProposalId));
        Assert.Single(harness.Entries(EntryKind.ProposalStaged));
    }

    [Fact]
    public void ResubmittingAnAppliedIntentDoesNotApplyItTwice()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "count: 1\n");
        var intent = harness.Edit("a.txt", "count: 1", "count: 2");
        var proposalId = harness.Runtime.Submit(harness.Session, new Intent("same-nonce", "bump", [intent])).ProposalId!;
        harness.ApproveAll(proposalId);

        var again = harness.Runtime.Submit(harness.Session, new Intent("other-nonce", "bump", [intent]));
        var replayed = harness.Runtime.Submit(harness.Session, new Intent("same-nonce", "bump", [intent]));

        Assert.Equal((SubmitOutcome.Refused, RuntimeErrorCode.StaleBase), (again.Outcome, again.Error!.Code));
        Assert.Equal(SubmitOutcome.Refused, replayed.Outcome);
        Assert.Equal("count: 2\n", harness.Workspace.ReadText("a.txt"));
        Assert.Single(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void ANonceReusedForADifferentIntentIsRefusedAsAReplay()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        harness.Workspace.Write("b.txt", "b\n");
        harness.Runtime.Submit(harness.Session, new Intent("nonce-1", "first", [harness.Modify("a.txt", "A\n")]));

        var replay = harness.Runtime.Submit(harness.Session, new Intent("nonce-1", "second", [harness.Modify("b.txt", "B\n")]));

        Assert.Equal(RuntimeErrorCode.ReplayedNonce, replay.Error!.Code);
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection).Single(), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal("replayed-nonce", rejection.ReasonCode);
    }

    [Fact]
    public void ARenameWhoseTargetAppearedMeanwhileIsStaleAndTheNewFileIsKept()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("old.txt", "old\n");
        var proposalId = harness.Stage(new FileIntent(FileIntentKind.Rename, "new.txt", FromPath: "old.txt", BaseHash: harness.HashOf("old.txt")));
        harness.Workspace.Write("new.txt", "made by a human meanwhile\n");

        Assert.Equal(DecisionOutcome.Stale, harness.ApproveAll(proposalId).Outcome);

        Assert.Equal("made by a human meanwhile\n", harness.Workspace.ReadText("new.txt"));
        Assert.Equal("old\n", harness.Workspace.ReadText("old.txt"));
    }

    [Fact]
    public void ACreateWhoseFileAppearedMeanwhileIsStaleAndTheFileIsKept()
    {
        using var harness = new RuntimeHarness();
        var proposalId = harness.Stage(RuntimeHarness.Create("new.txt", "from the agent\n"));
        harness.Workspace.Write("new.txt", "from a human\n");

        Assert.Equal(DecisionOutcome.Stale, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal("from a human\n", harness.Workspace.ReadText("new.txt"));
    }

    [Fact]
    public void ADirectorySwappedForASymlinkBeforeApprovalIsNotWrittenThrough()
    {
        using var harness = new RuntimeHarness();
        var outside = Path.Combine(harness.Workspace.Root, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(harness.Workspace.PathOf("src"));
        var proposalId = harness.Stage(RuntimeHarness.Create("src/planted.txt", "x\n"));
        Directory.Delete(harness.Workspace.PathOf("src"));
        Directory.CreateSymbolicLink(harness.Workspace.PathOf("src"), outside);

        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Failed, result.Outcome);
        Assert.False(File.Exists(Path.Combine(outside, "planted.txt")));
        Assert.Single(harness.Entries(EntryKind.ExecutionFailed));
    }
}
