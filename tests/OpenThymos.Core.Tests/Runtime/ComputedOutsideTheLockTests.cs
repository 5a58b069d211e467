// Diffs and merges are never computed under the runtime's lock: approve-time rebases, amendments, reverts and
// submissions compute from a snapshot outside it, and what they record is checked to be still current under it.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using OpenThymos.Core.Text;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ComputedOutsideTheLockTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    private const string AutoApproveEverything = """{ "version": 1, "defaultOutcome": "auto-approve", "rules": [] }""";

    [Fact]
    public async Task AnApprovalThatFindsItsFileChangedRebasesOutsideTheLockWhileReadersGoOn()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        harness.Workspace.Write("a.txt", Ten.Replace("2\n", "two\n"));
        using var parked = new Parking();
        harness.Probe.WhileComputingRebase = _ => parked.Park();

        var approving = Task.Run(() => harness.ApproveAll(proposalId));
        await parked.WhileParked(async () =>
        {
            var listed = await Task.Run(() => harness.Runtime.ListProposals()).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, Assert.Single(listed, p => p.Id == proposalId).Revision);
        });

        var result = await approving.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Outcome, result.Revision));
        Assert.Equal(Ten.Replace("2\n", "two\n"), harness.Workspace.ReadText("a.txt"));
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public async Task AnApprovalWhoseRebaseIsOvertakenByARejectionRecordsTheRebaseOfWhatIsStillPending()
    {
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

        var result = await Task.Run(() => harness.ApproveAll(proposalId)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, rounds);
        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Outcome, result.Revision));
        var hunk = Assert.Single(harness.Runtime.GetProposal(proposalId)!.Files["a.txt"].Record.Hunks);
        Assert.Equal(["NINE\n"], hunk.Added);
    }

    [Fact]
    public async Task AnAutoApprovalThatFindsItsFileChangedByHandRebasesOutsideTheLockAndWritesNothing()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveEverything);
        harness.Workspace.Write("a.txt", Ten);
        var intent = harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n"));
        harness.Probe.BeforeSubmissionLock = () =>
        {
            // A hand edit (not through the runtime) lands after the compile: only the approval can see it.
            harness.Probe.BeforeSubmissionLock = null;
            harness.Workspace.Write("a.txt", Ten.Replace("2\n", "two\n"));
        };
        using var parked = new Parking();
        harness.Probe.WhileComputingRebase = _ => parked.Park();

        var submitting = Task.Run(() => harness.Submit(intent));
        await parked.WhileParked(async () =>
        {
            var listed = await Task.Run(() => harness.Runtime.ListProposals()).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Single(listed);
        });

        var result = await submitting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SubmitOutcome.AutoApproved, result.Outcome);
        Assert.Equal((DecisionOutcome.Rebased, 2), (result.Decision!.Outcome, result.Decision.Revision));
        Assert.Equal(Ten.Replace("2\n", "two\n"), harness.Workspace.ReadText("a.txt"));
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public async Task AnAmendmentIsComputedOutsideTheLockWhileReadersGoOn()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        using var parked = new Parking();
        harness.Probe.WhileComputingAmendment = _ => parked.Park();

        var amending = Task.Run(() => harness.Runtime.Amend(new AmendRequest(proposalId, 1, "human:tester", "a.txt", Ten.Replace("9\n", "nine, as the reviewer wants\n"))));
        await parked.WhileParked(async () =>
        {
            var read = await Task.Run(() => harness.Runtime.GetProposal(proposalId)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, read!.Revision);
        });

        var result = await amending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((DecisionOutcome.Amended, 2), (result.Outcome, result.Revision));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(Ten.Replace("9\n", "nine, as the reviewer wants\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public async Task AnAmendmentOvertakenByADecisionOnAnotherFileIsComputedAgainFromTheNewState()
    {
        // While the amendment of a.txt is computed, the reviewer rejects the proposal's hunk in b.txt: the amended
        // revision must not bring that rejected hunk back.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        harness.Workspace.Write("b.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")), harness.Modify("b.txt", Ten.Replace("3\n", "THREE\n")));
        var rounds = 0;
        harness.Probe.WhileComputingAmendment = _ =>
        {
            if (Interlocked.Increment(ref rounds) == 1)
            {
                harness.Reject(proposalId, "b.txt#h1");
            }
        };

        var result = await Task.Run(() => harness.Runtime.Amend(new AmendRequest(proposalId, 1, "human:tester", "a.txt", Ten.Replace("9\n", "nine\n")))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, rounds);
        Assert.Equal((DecisionOutcome.Amended, 2), (result.Outcome, result.Revision));
        var amended = harness.Runtime.GetProposal(proposalId)!;
        Assert.Equal(["a.txt"], amended.Files.Keys);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal((Ten.Replace("9\n", "nine\n"), Ten), (harness.Workspace.ReadText("a.txt"), harness.Workspace.ReadText("b.txt")));
    }

    [Fact]
    public async Task ARevertIsPlannedOutsideTheLockWhileReadersGoOn()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        var commit = harness.ApproveAll(proposalId);
        using var parked = new Parking();
        harness.Probe.WhileComputingRevert = _ => parked.Park();

        var reverting = Task.Run(() => harness.Runtime.Revert(commit.CommitSeq!.Value, "human:tester", ""));
        await parked.WhileParked(async () =>
        {
            var listed = await Task.Run(() => harness.Runtime.ListProposals()).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Single(listed);
        });

        var result = await reverting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(Ten, harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public async Task AHandEditWhileARevertIsPlannedIsMergedOrRefusedButNeverOverwritten()
    {
        // The revert reads a.txt, then (while it merges) a hand edit changes another line: the plan made from the
        // older bytes must be thrown away, and the revert planned again keeps the hand edit.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        var commit = harness.ApproveAll(proposalId);
        var rounds = 0;
        harness.Probe.WhileComputingRevert = _ =>
        {
            if (Interlocked.Increment(ref rounds) == 1)
            {
                harness.Workspace.Write("a.txt", Ten.Replace("9\n", "NINE\n").Replace("2\n", "two, by hand\n"));
            }
        };

        var result = await Task.Run(() => harness.Runtime.Revert(commit.CommitSeq!.Value, "human:tester", "")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(rounds >= 1);
        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(Ten.Replace("2\n", "two, by hand\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void ASubmissionWhoseFileApprovalsKeepWritingIsRefusedAsStaleInsteadOfCompiledUnderTheLock()
    {
        // Each time the victim's intent is compiled, an approval rewrites its file before it reaches the lock. It is
        // compiled again outside the lock a bounded number of times and then refused; it is never compiled under it.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var victim = new FileIntent(FileIntentKind.Modify, "a.txt", Edits: [new SearchReplaceBlock("1\n", "ONE\n")]);
        var compiles = 0;
        void Overtake()
        {
            compiles++;
            harness.Probe.BeforeSubmissionLock = null;
            var writer = harness.Stage(harness.Modify("a.txt", harness.Workspace.ReadText("a.txt") + "line " + compiles + "\n"));
            Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(writer).Outcome);
            harness.Probe.BeforeSubmissionLock = Overtake;
        }

        harness.Probe.BeforeSubmissionLock = Overtake;
        var result = harness.Submit(victim);
        harness.Probe.BeforeSubmissionLock = null;

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Equal(RuntimeErrorCode.StaleBase, result.Error!.Code);
        Assert.Contains("'a.txt' kept being written by approvals", result.Error.Message);
        Assert.Equal(4, compiles);
        Assert.StartsWith("1\n", harness.Workspace.ReadText("a.txt"), StringComparison.Ordinal);
        Assert.Equal(4, harness.Entries(EntryKind.ProposalStaged).Count);
    }

    [Fact]
    public void ApprovalsOfOtherFilesNeverOvertakeASubmission()
    {
        // Only writes to the intent's own files make it compile again: a busy neighbour cannot starve it.
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        harness.Workspace.Write("b.txt", Ten);
        var victim = harness.Modify("a.txt", Ten.Replace("1\n", "ONE\n"));
        var writes = 0;
        void WriteTheNeighbour()
        {
            harness.Probe.BeforeSubmissionLock = null;
            var writer = harness.Stage(harness.Modify("b.txt", harness.Workspace.ReadText("b.txt") + "more\n"));
            Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(writer).Outcome);
            writes++;
            harness.Probe.BeforeSubmissionLock = WriteTheNeighbour;
        }

        harness.Probe.BeforeSubmissionLock = WriteTheNeighbour;
        var result = harness.Submit(victim);
        harness.Probe.BeforeSubmissionLock = null;

        Assert.Equal(SubmitOutcome.Staged, result.Outcome);
        Assert.Equal(1, writes);
    }
}
