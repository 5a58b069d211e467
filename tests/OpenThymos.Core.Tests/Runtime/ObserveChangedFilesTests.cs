// Files changed under pending proposals (noticed by the sidecar's watcher) make them stale or rebased at once, never applied.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ObserveChangedFilesTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    [Fact]
    public void AnEditInTheProposalsLinesMakesItStaleAndApprovingItWritesNothing()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n")));
        var humanEdit = Ten.Replace("5\n", "five, by hand\n");
        harness.Workspace.Write("a.txt", humanEdit);

        var result = Assert.Single(harness.Runtime.ObserveChangedFiles(["a.txt"]));

        Assert.Equal((DecisionOutcome.Stale, proposalId), (result.Outcome, result.ProposalId));
        var proposal = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal(ProposalStatus.Stale, proposal.Status);
        Assert.Contains("a.txt", proposal.LastReason);
        var approve = harness.ApproveAll(proposalId);
        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.ProposalNotPending), (approve.Outcome, approve.Error!.Code));
        Assert.Contains("stale", approve.Error.Message);
        Assert.Equal(humanEdit, harness.Workspace.ReadText("a.txt"));
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void AnEditInOtherLinesRebasesTheProposalIntoANewRevision()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        harness.Workspace.Write("a.txt", Ten.Replace("2\n", "two\n"));

        var result = Assert.Single(harness.Runtime.ObserveChangedFiles(["a.txt"]));

        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Outcome, result.Revision));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(Ten.Replace("2\n", "two\n").Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void UnchangedFilesAndOtherPathsLeaveProposalsAlone()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        harness.Workspace.Write("b.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        harness.Workspace.Write("b.txt", "changed\n");
        var entries = harness.Runtime.Ledger.Head.Seq;

        Assert.Empty(harness.Runtime.ObserveChangedFiles(["a.txt"]));
        Assert.Empty(harness.Runtime.ObserveChangedFiles(["b.txt"]));
        Assert.Empty(harness.Runtime.ObserveChangedFiles());

        Assert.Equal(entries, harness.Runtime.Ledger.Head.Seq);
        Assert.Equal((1, ProposalStatus.Pending), (harness.Runtime.GetProposal(proposalId)!.Revision, harness.Runtime.GetProposal(proposalId)!.Status));
    }

    [Fact]
    public void AProposalsOwnApprovalDoesNotMakeItsRemainingHunksStale()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("2\n", "TWO\n").Replace("9\n", "NINE\n")));
        Assert.Equal(DecisionOutcome.Committed, harness.Approve(proposalId, "a.txt#h1").Outcome);

        Assert.Empty(harness.Runtime.ObserveChangedFiles(["a.txt"]));
        Assert.Equal(ProposalStatus.Pending, harness.Runtime.GetProposal(proposalId)!.Status);
    }

    [Fact]
    public async Task ReadersAreNotBlockedWhileARebaseIsComputed()
    {
        // A rebase's three-way merge and diffs are linear to quadratic in the file: computed under the runtime's
        // lock, a huge one blocked the reviewer's proposal/list for seconds. Here the computation is parked by a
        // hook; a reader must complete meanwhile, and the rebase is recorded once it resumes.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        harness.Workspace.Write("a.txt", Ten.Replace("2\n", "two\n"));
        using var parked = new Parking();
        harness.Probe.WhileComputingRebase = _ => parked.Park();

        var observing = Task.Run(() => harness.Runtime.ObserveChangedFiles(["a.txt"]));
        await parked.WhileParked(async () =>
        {
            var listed = await Task.Run(() => harness.Runtime.ListProposals()).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, Assert.Single(listed, p => p.Id == proposalId).Revision);
            var read = await Task.Run(() => harness.Runtime.GetProposal(proposalId)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(read);
        });

        var result = Assert.Single(await observing.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Outcome, result.Revision));
    }

    [Fact]
    public async Task ARebaseOvertakenWhileItWasComputedIsComputedAgainFromTheNewState()
    {
        // While the rebase is computed outside the lock, the reviewer rejects one of the proposal's two hunks: the
        // plan made from the older state must not be recorded; the one recorded carries only the pending hunk.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("5\n", "FIVE\n").Replace("9\n", "NINE\n")));
        harness.Workspace.Write("a.txt", Ten.Replace("1\n", "one\n"));
        var rounds = 0;
        harness.Probe.WhileComputingRebase = _ =>
        {
            if (Interlocked.Increment(ref rounds) == 1)
            {
                harness.Reject(proposalId, "a.txt#h1");
            }
        };

        var result = Assert.Single(await Task.Run(() => harness.Runtime.ObserveChangedFiles(["a.txt"])).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(2, rounds);
        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Outcome, result.Revision));
        var revised = harness.Runtime.GetProposal(proposalId)!;
        var hunk = Assert.Single(revised.Files["a.txt"].Record.Hunks);
        Assert.Equal(["NINE\n"], hunk.Added);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(Ten.Replace("1\n", "one\n").Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
    }
}
