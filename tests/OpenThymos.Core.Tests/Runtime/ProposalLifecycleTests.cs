// Submitting, approving and rejecting proposals against a real workspace and ledger.
using System.Text;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ProposalLifecycleTests
{
    private const string ThreeLines = "alpha\nbeta\ngamma\n";

    [Fact]
    public void ASubmittedProposalWritesNothingToTheWorkspace()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("src/a.txt", ThreeLines);
        var proposalId = harness.Stage(harness.Modify("src/a.txt", "alpha\nBETA\ngamma\n"), RuntimeHarness.Create("src/new.txt", "hello\n"));

        Assert.Equal(ThreeLines, harness.Workspace.ReadText("src/a.txt"));
        Assert.False(File.Exists(harness.Workspace.PathOf("src/new.txt")));
        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal(ProposalStatus.Pending, proposal.Status);
        Assert.Equal(["beta\n"], proposal.Files["src/a.txt"].Record.Hunks.Single().Removed);
        Assert.Single(harness.Entries(EntryKind.ProposalStaged));
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void ApprovingAppliesTheChangeAndCommitsBeforeAndAfterHashes()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("src/a.txt", ThreeLines);
        var before = harness.HashOf("src/a.txt");
        var proposalId = harness.Stage(harness.Modify("src/a.txt", "alpha\nBETA\ngamma\n"));

        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal("alpha\nBETA\ngamma\n", harness.Workspace.ReadText("src/a.txt"));
        var commit = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Commit).Single(), LedgerJsonContext.Default.CommitPayload);
        var file = commit.Files.Single();
        Assert.Equal(("src/a.txt", before, harness.HashOf("src/a.txt")), (file.Path, file.Before, file.After));
        Assert.Equal("human:tester", commit.Approver);
        Assert.Equal(proposalId, commit.ProposalId);
        Assert.Equal(harness.Runtime.Policy.Hash.ToString(), commit.PolicyHash);
        Assert.Equal(ProposalStatus.Approved, harness.Runtime.GetProposal(proposalId)!.Status);
    }

    [Fact]
    public void ApprovingOneHunkAndRejectingAnotherAppliesOnlyTheApprovedOne()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
        var proposalId = harness.Stage(harness.Modify("a.txt", "ONE\n2\n3\n4\n5\n6\n7\nEIGHT\n"));
        Assert.Equal(2, harness.Runtime.GetProposal(proposalId)!.Files["a.txt"].Record.Hunks.Count);

        Assert.Equal(DecisionOutcome.Committed, harness.Approve(proposalId, "a.txt#h2").Outcome);
        Assert.Equal("1\n2\n3\n4\n5\n6\n7\nEIGHT\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(ProposalStatus.Pending, harness.Runtime.GetProposal(proposalId)!.Status);

        Assert.Equal(DecisionOutcome.Rejected, harness.Reject(proposalId, "a.txt#h1").Outcome);
        Assert.Equal("1\n2\n3\n4\n5\n6\n7\nEIGHT\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(ProposalStatus.PartiallyApproved, harness.Runtime.GetProposal(proposalId)!.Status);
    }

    [Fact]
    public void HunksApprovedOneAtATimeComposeToTheFullProposal()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
        var proposalId = harness.Stage(harness.Modify("a.txt", "1\nTWO\nTWO-AND-A-HALF\n3\n4\n6\n7\n8\nNINE\n"));
        var hunks = harness.Runtime.GetProposal(proposalId)!.Files["a.txt"].Record.Hunks.Select(h => "a.txt#" + h.Id).ToList();

        foreach (var key in hunks.AsEnumerable().Reverse())
        {
            Assert.Equal(DecisionOutcome.Committed, harness.Approve(proposalId, key).Outcome);
        }

        Assert.Equal("1\nTWO\nTWO-AND-A-HALF\n3\n4\n6\n7\n8\nNINE\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(ProposalStatus.Approved, harness.Runtime.GetProposal(proposalId)!.Status);
        Assert.Equal(hunks.Count, harness.Entries(EntryKind.Commit).Count);
    }

    [Fact]
    public void ApprovingOneFileOfAProposalLeavesTheOtherPending()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        harness.Workspace.Write("b.txt", "b\n");
        var proposalId = harness.Stage(harness.Modify("a.txt", "A\n"), harness.Modify("b.txt", "B\n"));
        var proposal = harness.Runtime.GetProposal(proposalId)!;

        var result = harness.Runtime.Approve(new ApproveRequest(proposalId, proposal.Revision, "human:tester", new HunkSelection(Files: ["b.txt"])));

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(("a\n", "B\n"), (harness.Workspace.ReadText("a.txt"), harness.Workspace.ReadText("b.txt")));
        Assert.Equal(["a.txt#h1"], harness.Runtime.GetProposal(proposalId)!.PendingHunkKeys);
    }

    [Fact]
    public void AReviewersAmendmentIsAppliedAndRecordedBesideTheOriginal()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", ThreeLines);
        var proposalId = harness.Stage(harness.Modify("a.txt", "alpha\nBETA\ngamma\n"));

        var result = harness.ApproveAll(proposalId, [new Amendment("a.txt", "h1", "Beta (reviewed)\n")]);

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal("alpha\nBeta (reviewed)\ngamma\n", harness.Workspace.ReadText("a.txt"));
        var approval = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Approval).Single(), LedgerJsonContext.Default.ApprovalPayload);
        var amendment = approval.Amendments.Single();
        Assert.Equal(("a.txt", "h1", "Beta (reviewed)\n"), (amendment.Path, amendment.HunkId, amendment.Text));
        Assert.Equal(RuntimeHarness.Hash(Encoding.UTF8.GetBytes("BETA\n")), amendment.OriginalHash);
        Assert.Equal(["BETA\n"], harness.Runtime.GetProposal(proposalId)!.Files["a.txt"].Record.Hunks.Single().Added);
    }

    [Fact]
    public void AWholeFileAmendmentReplacesTheProposedContent()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", ThreeLines);
        var proposalId = harness.Stage(harness.Modify("a.txt", "alpha\nBETA\ngamma\n"));

        harness.ApproveAll(proposalId, [new Amendment("a.txt", null, "completely\nrewritten\n")]);

        Assert.Equal("completely\nrewritten\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void RejectingAWholeProposalLeavesTheFileAndRecordsTheReason()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", ThreeLines);
        var proposalId = harness.Stage(harness.Modify("a.txt", "changed\n"));
        var proposal = harness.Runtime.GetProposal(proposalId)!;

        var result = harness.Runtime.Reject(new RejectRequest(proposalId, proposal.Revision, "human:tester", HunkSelection.All, "wrong approach"));

        Assert.Equal(DecisionOutcome.Rejected, result.Outcome);
        Assert.Equal(ThreeLines, harness.Workspace.ReadText("a.txt"));
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection).Single(), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal(("reviewer", "wrong approach"), (rejection.ReasonCode, rejection.Reason));
        Assert.Equal(ProposalStatus.Rejected, harness.Runtime.GetProposal(proposalId)!.Status);
        Assert.Equal(RuntimeErrorCode.ProposalNotPending, harness.ApproveAll(proposalId).Error!.Code);
    }

    [Fact]
    public void CreateDeleteAndRenameAreAppliedAsWholeFileChanges()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("old.txt", "move me\n");
        harness.Workspace.Write("gone.txt", "delete me\n");
        var proposalId = harness.Stage(
            RuntimeHarness.Create("dir/sub/new.txt", "fresh\n"),
            new FileIntent(FileIntentKind.Delete, "gone.txt", BaseHash: harness.HashOf("gone.txt")),
            new FileIntent(FileIntentKind.Rename, "moved.txt", FromPath: "old.txt", BaseHash: harness.HashOf("old.txt")));

        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);

        Assert.Equal("fresh\n", harness.Workspace.ReadText("dir/sub/new.txt"));
        Assert.False(File.Exists(harness.Workspace.PathOf("gone.txt")));
        Assert.False(File.Exists(harness.Workspace.PathOf("old.txt")));
        Assert.Equal("move me\n", harness.Workspace.ReadText("moved.txt"));
    }

    [Fact]
    public void PendingProposalsAndTheirDecisionsSurviveARestart()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
        var proposalId = harness.Stage(harness.Modify("a.txt", "ONE\n2\n3\n4\n5\n6\n7\nEIGHT\n"));
        harness.Approve(proposalId, "a.txt#h1");

        harness.Restart();

        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal(ProposalStatus.Pending, proposal.Status);
        Assert.Equal(["a.txt#h2"], proposal.PendingHunkKeys);
        Assert.Equal(DecisionOutcome.Committed, harness.Approve(proposalId, "a.txt#h2").Outcome);
        Assert.Equal("ONE\n2\n3\n4\n5\n6\n7\nEIGHT\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void DecidingAnUnknownProposalOrHunkIsRefusedWithAStableCode()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", ThreeLines);
        var proposalId = harness.Stage(harness.Modify("a.txt", "x\n"));

        Assert.Equal(RuntimeErrorCode.ProposalNotFound, harness.Runtime.Approve(new ApproveRequest("p_missing", 1, "human:t", HunkSelection.All)).Error!.Code);
        Assert.Equal(RuntimeErrorCode.SelectionInvalid, harness.Approve(proposalId, "a.txt#h9").Error!.Code);
        Assert.Equal(RuntimeErrorCode.RevisionMismatch, harness.Runtime.Approve(new ApproveRequest(proposalId, 7, "human:t", HunkSelection.All)).Error!.Code);
        Assert.Equal(ThreeLines, harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AModifyGivenAsAUnifiedDiffIsCompiledIntoHunks()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\r\ntwo\r\nthree\r\n");
        var diff = "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n";
        var proposalId = harness.Stage(new FileIntent(FileIntentKind.Modify, "a.txt", BaseHash: harness.HashOf("a.txt"), UnifiedDiff: diff));

        harness.ApproveAll(proposalId);

        Assert.Equal("one\r\nTWO\r\nthree\r\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AgentsCannotReadTheLedgerOrTheGitFolder()
    {
        using var harness = new RuntimeHarness();
        Assert.Equal(RuntimeErrorCode.PolicyDenied, harness.Runtime.ReadFile(".thymos/ledger.db").Error!.Code);
        var (content, hash, error) = harness.Runtime.ReadFile("../etc/passwd");
        Assert.Equal((null, null, RuntimeErrorCode.PathRefused), (content, hash, error!.Code));
    }

    [Fact]
    public void ConcurrentAgentsLoseNoProposalAndTheLedgerStaysWhole()
    {
        using var harness = new RuntimeHarness();
        var sessions = Enumerable.Range(0, 8).Select(i => harness.Grant(["**"], agent: $"agent-{i}")).ToList();

        Parallel.For(0, sessions.Count, i =>
        {
            for (var n = 0; n < 15; n++)
            {
                var result = harness.Runtime.Submit(sessions[i], new Intent($"{i}-{n}", "parallel", [RuntimeHarness.Create($"agent{i}/file{n}.txt", $"{i} {n}\n")]));
                Assert.Equal(SubmitOutcome.Staged, result.Outcome);
                if (n % 3 == 0)
                {
                    Assert.Equal(DecisionOutcome.Committed, harness.Runtime.Approve(new ApproveRequest(result.ProposalId!, 1, "human:tester", HunkSelection.All)).Outcome);
                }
            }
        });

        Assert.Equal(120, harness.Runtime.ListProposals().Count);
        Assert.Equal(40, harness.Entries(EntryKind.Commit).Count);
        Assert.Equal(80, harness.Runtime.ListProposals().Count(p => p.Status == ProposalStatus.Pending));
        Assert.True(OpenThymos.Core.Replay.LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Workspace.KeyDirectory).IsValid);
    }
}
