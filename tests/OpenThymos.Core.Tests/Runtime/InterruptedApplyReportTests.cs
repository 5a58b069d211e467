// What read-only drift and a retried approve say about a commit that is durable but whose files were never moved into place.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

/// <summary>
/// A process killed between the durable commit and the renames leaves the commit after the applied-through mark with its files
/// at their before state; the probe's BeforeEachRename (told before each rename) stops the apply exactly there (as RedoRecoveryTests does).
/// </summary>
public sealed class InterruptedApplyReportTests
{
    [Fact]
    public void DriftCallsAFileACommitLeftAtItsBeforeStatePendingRedoNotChangedOutsideTheLedger()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\n");
        harness.Workspace.Write("b.txt", "b1\n");
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(harness.Stage(harness.Modify("b.txt", "b2\n"))).Outcome);
        var id = harness.Stage(harness.Modify("a.txt", "two\n"), RuntimeHarness.Create("new.txt", "created\n"));
        harness.Runtime.FileSync.Paused = true;
        harness.Probe.BeforeEachRename = _ => throw new SimulatedCrash();
        Assert.Throws<SimulatedCrash>(() => harness.ApproveAll(id));
        harness.Workspace.Write("b.txt", "changed by hand\n");

        var drift = WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace);

        Assert.Equal(
            [("a.txt", DriftKind.PendingRedo), ("b.txt", DriftKind.ChangedOutsideLedger), ("new.txt", DriftKind.PendingRedo)],
            drift.Items.Select(i => (i.Path, i.Kind)).OrderBy(i => i.Path, StringComparer.Ordinal));
    }

    [Fact]
    public void ApprovingACommittedProposalAgainNamesTheCommitAndSaysItsFilesAreWrittenWhenTheSidecarRestarts()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\n");
        var id = harness.Stage(harness.Modify("a.txt", "two\n"));
        harness.Probe.BeforeEachRename = _ => throw new SimulatedCrash();
        Assert.Throws<SimulatedCrash>(() => harness.ApproveAll(id));
        harness.Probe.BeforeEachRename = null;
        var commitSeq = Assert.Single(harness.Entries(EntryKind.Commit)).Seq;

        var retried = harness.Runtime.Approve(new ApproveRequest(id, 1, "human:tester", HunkSelection.All));

        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.ProposalNotPending), (retried.Outcome, retried.Error!.Code));
        Assert.Contains($"committed at entry {commitSeq}", retried.Error.Message, StringComparison.Ordinal);
        Assert.Contains("'a.txt' is not written yet", retried.Error.Message, StringComparison.Ordinal);
        Assert.Contains("when the sidecar restarts", retried.Error.Message, StringComparison.Ordinal);
        Assert.Equal("one\n", harness.Workspace.ReadText("a.txt"));

        harness.Restart();
        var afterRecovery = harness.Runtime.Approve(new ApproveRequest(id, 1, "human:tester", HunkSelection.All));
        Assert.Contains($"committed at entry {commitSeq} and its files are written", afterRecovery.Error!.Message, StringComparison.Ordinal);
        Assert.True(WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace).IsClean);
    }

    private sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash()
            : base("simulated crash: the process stops here")
        {
        }
    }
}
