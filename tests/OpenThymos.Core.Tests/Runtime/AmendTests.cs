// A reviewer's amendment becomes a new revision with the reviewer as actor; approving it writes exactly the reviewer's text.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class AmendTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    private static DecisionResult Amend(RuntimeHarness harness, string proposalId, string path, string text, int? revision = null) =>
        harness.Runtime.Amend(new AmendRequest(proposalId, revision ?? harness.Runtime.GetProposal(proposalId)!.Revision, "human:reviewer", path, text));

    [Fact]
    public void AnAmendmentIsANewRevisionByTheReviewerAndApprovingItWritesExactlyTheReviewersText()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        var reviewed = Ten.Replace("5\n", "five, as the reviewer wants it\n").Replace("9\n", "nine too\n");

        var amended = Amend(harness, proposalId, "a.txt", reviewed);

        Assert.Equal((DecisionOutcome.Amended, 2), (amended.Outcome, amended.Revision));
        Assert.Equal(Ten, harness.Workspace.ReadText("a.txt"));
        var staged = harness.Entries(EntryKind.ProposalStaged);
        Assert.Equal(["agent:test-agent", "human:reviewer"], staged.Select(e => e.Actor.StartsWith("agent:", StringComparison.Ordinal) ? "agent:test-agent" : e.Actor));
        var revision = WorkspaceLedger.Deserialize(staged[^1], LedgerJsonContext.Default.ProposalStagedPayload);
        Assert.Equal((2, RevisionReasons.Amended), (revision.Revision, revision.RevisionReason));
        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal(harness.HashOf("a.txt"), proposal.Files["a.txt"].Record.BaseHash);
        Assert.Equal(2, proposal.Files["a.txt"].Record.Hunks.Count);
        Assert.DoesNotContain(proposal.Files["a.txt"].Record.Hunks, h => h.Id == "h1");

        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(reviewed), harness.Workspace.Read("a.txt"));
        Assert.True(LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Workspace.KeyDirectory).IsValid);
    }

    [Fact]
    public void TheAmendedRevisionSurvivesARestart()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        var reviewed = Ten.Replace("5\n", "5 (reviewed)\n");
        Assert.Equal(DecisionOutcome.Amended, Amend(harness, proposalId, "a.txt", reviewed).Outcome);

        harness.Restart();

        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal((2, ProposalStatus.Pending, RevisionReasons.Amended), (proposal.Revision, proposal.Status, proposal.Staged.RevisionReason));
        Assert.Equal(["5 (reviewed)\n"], proposal.Files["a.txt"].Record.Hunks.Single().Added);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(reviewed, harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AmendingAfterOneHunkWasApprovedBasesTheRevisionOnTheFileAsItIsNow()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("2\n", "TWO\n").Replace("9\n", "NINE\n")));
        Assert.Equal(DecisionOutcome.Committed, harness.Approve(proposalId, "a.txt#h1").Outcome);
        var now = Ten.Replace("2\n", "TWO\n");
        Assert.Equal(now, harness.Workspace.ReadText("a.txt"));

        var reviewed = now.Replace("9\n", "nine, amended\n");
        Assert.Equal(DecisionOutcome.Amended, Amend(harness, proposalId, "a.txt", reviewed).Outcome);
        Assert.Equal(harness.HashOf("a.txt"), harness.Runtime.GetProposal(proposalId)!.Files["a.txt"].Record.BaseHash);

        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(reviewed, harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AmendingOneFileKeepsTheOtherFilesPendingHunks()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        harness.Workspace.Write("b.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("1\n", "ONE\n")), harness.Modify("b.txt", Ten.Replace("3\n", "THREE\n")));

        Assert.Equal(DecisionOutcome.Amended, Amend(harness, proposalId, "a.txt", Ten.Replace("1\n", "one!\n")).Outcome);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);

        Assert.Equal(Ten.Replace("1\n", "one!\n"), harness.Workspace.ReadText("a.txt"));
        Assert.Equal(Ten.Replace("3\n", "THREE\n"), harness.Workspace.ReadText("b.txt"));
    }

    [Fact]
    public void AmendingWithTheTextAlreadyProposedRecordsNothing()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposed = Ten.Replace("5\n", "FIVE\n");
        var proposalId = harness.Stage(harness.Modify("a.txt", proposed));
        var entries = harness.Runtime.Ledger.Head.Seq;

        var result = Amend(harness, proposalId, "a.txt", proposed);

        Assert.Equal((DecisionOutcome.Amended, 1), (result.Outcome, result.Revision));
        Assert.Equal(entries, harness.Runtime.Ledger.Head.Seq);
    }

    [Fact]
    public void AmendingADecidedProposalIsRefusedAndRecordsNothing()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        Assert.Equal(DecisionOutcome.Rejected, harness.Reject(proposalId, "a.txt#h1").Outcome);
        var entries = harness.Runtime.Ledger.Head.Seq;

        var result = Amend(harness, proposalId, "a.txt", "anything\n");

        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.ProposalNotPending), (result.Outcome, result.Error!.Code));
        Assert.Equal(entries, harness.Runtime.Ledger.Head.Seq);
        Assert.Equal(Ten, harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AmendingAnOlderRevisionIsRefused()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        Assert.Equal(DecisionOutcome.Amended, Amend(harness, proposalId, "a.txt", Ten.Replace("5\n", "5!\n")).Outcome);

        var result = Amend(harness, proposalId, "a.txt", Ten.Replace("5\n", "5?\n"), revision: 1);

        Assert.Equal(RuntimeErrorCode.RevisionMismatch, result.Error!.Code);
        Assert.Equal(2, harness.Runtime.GetProposal(proposalId)!.Revision);
    }

    [Fact]
    public void AmendingToTheFileAsItIsIsRefusedWithAnExplanation()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));

        var result = Amend(harness, proposalId, "a.txt", Ten);

        Assert.Equal(RuntimeErrorCode.SelectionInvalid, result.Error!.Code);
        Assert.Contains("Reject", result.Error.Message);
    }

    [Fact]
    public void AmendingAFileTheProposalDoesNotTouchIsRefused()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));

        Assert.Equal(RuntimeErrorCode.SelectionInvalid, Amend(harness, proposalId, "b.txt", "x\n").Error!.Code);
    }

    [Fact]
    public void AnAmendedCreateWritesTheReviewersText()
    {
        using var harness = new RuntimeHarness();
        var proposalId = harness.Stage(RuntimeHarness.Create("new.txt", "agent text\n"));

        Assert.Equal(DecisionOutcome.Amended, Amend(harness, proposalId, "new.txt", "reviewer text\nsecond line").Outcome);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);

        Assert.Equal("reviewer text\nsecond line", harness.Workspace.ReadText("new.txt"));
    }
}
