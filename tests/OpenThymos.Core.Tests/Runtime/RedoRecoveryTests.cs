// The redo-log write protocol: a commit that is durable in the ledger is completed at open from the ledger's blobs.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

/// <summary>
/// An approval's commit is durable before its files are renamed, and the files are fsynced later in the
/// background. These tests stop the process's work at each of those points (a test hook throws where a
/// SIGKILL could land; the background sync is paused where a power loss could strike) and check that
/// reopening the workspace completes the commit, or records a third state instead of overwriting it.
/// </summary>
public sealed class RedoRecoveryTests
{
    [Fact]
    public void ACommitThatIsDurableButWhoseFileWasNeverRenamedIsRedoneAtOpen()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\n");
        var id = harness.Stage(harness.Modify("a.txt", "two\n"));
        harness.Probe.BeforeEachRename = _ => throw new SimulatedCrash();

        Assert.Throws<SimulatedCrash>(() => harness.ApproveAll(id));
        Assert.Equal("one\n", harness.Workspace.ReadText("a.txt"));
        Assert.Single(harness.Entries(EntryKind.Commit));

        harness.Restart();
        Assert.Equal("two\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(1, harness.Runtime.RedoneAtOpen);
        AssertWholeAndMarkedAtHead(harness);
    }

    [Fact]
    public void AMultiFileCommitStoppedAfterItsFirstRenameIsCompletedAtOpen()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a1\n");
        harness.Workspace.Write("b.txt", "b1\n");
        var id = harness.Stage(harness.Modify("a.txt", "a2\n"), harness.Modify("b.txt", "b2\n"), RuntimeHarness.Create("sub/c.txt", "c2\n"));
        var renamed = 0;
        harness.Probe.AfterEachRename = _ =>
        {
            if (++renamed == 1)
            {
                throw new SimulatedCrash();
            }
        };

        Assert.Throws<SimulatedCrash>(() => harness.ApproveAll(id));
        var onDisk = new[] { harness.Workspace.ReadText("a.txt"), harness.Workspace.ReadText("b.txt") };
        Assert.Single(onDisk, text => text.EndsWith("2\n", StringComparison.Ordinal));

        harness.Restart();
        Assert.Equal("a2\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal("b2\n", harness.Workspace.ReadText("b.txt"));
        Assert.Equal("c2\n", harness.Workspace.ReadText("sub/c.txt"));
        Assert.Equal(2, harness.Runtime.RedoneAtOpen);
        AssertWholeAndMarkedAtHead(harness);
    }

    [Fact]
    public void WithTheMarkBehindTornAndLostRenamesAreRewrittenAndWholeFilesAreKept()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "first line\n");
        harness.Workspace.Write("b.txt", "kept\n");
        var markBefore = ReadMark(harness);
        harness.Runtime.FileSync.Paused = true;
        var id = harness.Stage(harness.Modify("a.txt", "second line, longer\n"), RuntimeHarness.Create("new.txt", "created\n"), harness.Modify("b.txt", "kept too\n"));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(id).Outcome);
        Assert.Equal(markBefore, ReadMark(harness));

        // What a power loss can leave of renames whose data and directory entries were not yet flushed.
        File.WriteAllText(harness.Workspace.PathOf("a.txt"), "second l");
        File.Delete(harness.Workspace.PathOf("new.txt"));

        harness.Restart();
        Assert.Equal("second line, longer\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal("created\n", harness.Workspace.ReadText("new.txt"));
        Assert.Equal("kept too\n", harness.Workspace.ReadText("b.txt"));
        Assert.Equal(2, harness.Runtime.RedoneAtOpen);
        AssertWholeAndMarkedAtHead(harness);
    }

    [Fact]
    public void AFileChangedByHandAfterAnUnsyncedCommitIsRecordedAndNeverOverwritten()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\n");
        harness.Runtime.FileSync.Paused = true;
        var id = harness.Stage(harness.Modify("a.txt", "two\n"));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(id).Outcome);
        harness.Workspace.Write("a.txt", "the user's own text\n");

        harness.Restart();
        Assert.Equal("the user's own text\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(0, harness.Runtime.RedoneAtOpen);
        var observed = WorkspaceLedger.Deserialize(Assert.Single(harness.Entries(EntryKind.ExternalChangeObserved)), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        Assert.Equal("a.txt", observed.Path);
        Assert.Equal(RuntimeHarness.Hash("two\n"u8.ToArray()), observed.Expected);
        Assert.Equal(harness.HashOf("a.txt"), observed.Observed);
        Assert.Equal(id, observed.ProposalId);
        Assert.True(LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Workspace.KeyDirectory).IsValid);

        harness.Restart();
        Assert.Single(harness.Entries(EntryKind.ExternalChangeObserved));
    }

    [Fact]
    public void ARenameThatFailsAfterTheCommitIsDurablePutsTheFilesBackAndRecordsARevert()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a1\n");
        harness.Workspace.Write("b.txt", "b1\n");
        var id = harness.Stage(harness.Modify("a.txt", "a2\n"), harness.Modify("b.txt", "b2\n"));
        var renamed = 0;
        harness.Probe.AfterEachRename = _ =>
        {
            if (++renamed == 1)
            {
                throw new IOException("simulated: the disk refused the second rename");
            }
        };

        var result = harness.ApproveAll(id);
        Assert.Equal(DecisionOutcome.Failed, result.Outcome);
        Assert.Contains("put back", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("a1\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal("b1\n", harness.Workspace.ReadText("b.txt"));
        var commit = Assert.Single(harness.Entries(EntryKind.Commit));
        var revert = WorkspaceLedger.Deserialize(Assert.Single(harness.Entries(EntryKind.Revert)), LedgerJsonContext.Default.RevertPayload);
        Assert.Equal(commit.Seq, revert.Reverts);
        Assert.Equal("runtime", revert.Actor);

        harness.Probe.AfterEachRename = null;
        harness.Restart();
        Assert.Equal("a1\n", harness.Workspace.ReadText("a.txt"));
        AssertWholeAndMarkedAtHead(harness);
    }

    private static void AssertWholeAndMarkedAtHead(RuntimeHarness harness)
    {
        var verification = LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Workspace.KeyDirectory);
        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        var drift = WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace);
        Assert.True(drift.IsClean, "drift: " + string.Join(", ", drift.Items));
        Assert.Equal(harness.Runtime.Ledger.Head.Seq, ReadMark(harness));
        var staging = Path.Combine(harness.Workspace.Workspace, ".thymos", "staging");
        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFiles(staging).Any(), "temp files left in staging");
    }

    private static long ReadMark(RuntimeHarness harness) =>
        long.Parse(File.ReadAllText(Path.Combine(harness.Workspace.Workspace, ".thymos", DeferredFileSync.MarkFileName)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash()
            : base("simulated crash: the process stops here")
        {
        }
    }
}
