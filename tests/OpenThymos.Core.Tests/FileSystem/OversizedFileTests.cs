// An agent's shell can make a sparse file of any size in an instant: the runtime never reads it into memory, never
// hashes it under its lock, never crashes on it, and never writes over it.
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.FileSystem;

public sealed class OversizedFileTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    /// <summary>Makes <paramref name="path"/> a sparse file of <paramref name="size"/> bytes (no disk blocks), as `truncate -s` would.</summary>
    private static void MakeSparse(RuntimeHarness harness, string path, long size)
    {
        var full = harness.Workspace.PathOf(path);
        using var stream = new FileStream(full, FileMode.Create, FileAccess.Write);
        stream.SetLength(size);
    }

    [Fact]
    public void AnAgentReadOfAFileOverTheLimitIsRefusedNamingTheFileAndTheLimit()
    {
        // On main this threw an OverflowException out of the read (a 6 GiB sparse file ended the CLI with a stack trace).
        using var harness = new RuntimeHarness();
        MakeSparse(harness, "big.bin", 6L << 30);

        var (content, hash, error) = harness.Runtime.ReadFile("big.bin");

        Assert.Null(content);
        Assert.Null(hash);
        Assert.Equal(RuntimeErrorCode.PathRefused, error!.Code);
        Assert.Contains("'big.bin' is 6.0 GiB, over the 256 MiB OpenThymos reads", error.Message);
    }

    [Fact]
    public void AReadOfAFileOneByteOverTheLimitIsRefusedAndOneAtTheLimitIsRead()
    {
        using var harness = new RuntimeHarness();
        MakeSparse(harness, "at.bin", WorkspaceDirectory.MaxFileBytes);
        MakeSparse(harness, "over.bin", WorkspaceDirectory.MaxFileBytes + 1);
        using var workspace = new WorkspaceDirectory(harness.Workspace.Workspace);

        Assert.Equal(WorkspaceDirectory.MaxFileBytes, workspace.ReadFile("at.bin")!.LongLength);
        var refused = Assert.Throws<WorkspaceFileTooLargeException>(() => workspace.ReadFile("over.bin"));
        Assert.Equal(WorkspaceDirectory.MaxFileBytes + 1, refused.Size);
        var (kind, hash) = workspace.HashFile("over.bin");
        Assert.Equal((WorkspaceEntryKind.RegularFile, (Hashing.ContentHash?)null), (kind, hash));
    }

    [Fact]
    public void AModifyOfAFileOverTheLimitIsRefusedAndLedgeredAndTheLedgerGoesOn()
    {
        using var harness = new RuntimeHarness();
        MakeSparse(harness, "big.bin", 300L << 20);
        using var workspace = new WorkspaceDirectory(harness.Workspace.Workspace);
        var baseHash = workspace.HashFile("big.bin", null, out _).Hash!.Value.ToString(); // an agent can hash it itself

        var result = harness.Submit(new FileIntent(FileIntentKind.Modify, "big.bin", BaseHash: baseHash, Content: "x\n"));

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Contains("over the 256 MiB OpenThymos reads", result.Error!.Message);
        Assert.NotEmpty(harness.Entries(EntryKind.Rejection));
        harness.Workspace.Write("a.txt", Ten);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(harness.Modify("a.txt", Ten.Replace("1\n", "one\n"))).Outcome);
        Assert.Equal(300L << 20, new FileInfo(harness.Workspace.PathOf("big.bin")).Length);
    }

    [Fact]
    public void AProposalWhoseFileBecomesHugeIsStaleWithItsHashRecordedAndApprovingItWritesNothing()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        MakeSparse(harness, "a.txt", WorkspaceDirectory.MaxFileBytes + 4096);

        var result = Assert.Single(harness.Runtime.ObserveChangedFiles(["a.txt"]));

        Assert.Equal(DecisionOutcome.Stale, result.Outcome);
        Assert.Contains("'a.txt' is now larger than the 256 MiB OpenThymos reads", result.Error!.Message);
        var observed = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.ExternalChangeObserved).Single(), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        using var workspace = new WorkspaceDirectory(harness.Workspace.Workspace);
        Assert.Equal(workspace.HashFile("a.txt", null, out _).Hash!.Value.ToString(), observed.Observed);
        Assert.Equal(DecisionOutcome.Refused, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(WorkspaceDirectory.MaxFileBytes + 4096, new FileInfo(harness.Workspace.PathOf("a.txt")).Length);
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void ACreateWhoseTargetAHugeFileTookMeanwhileIsNeverWrittenOverIt()
    {
        using var harness = new RuntimeHarness();
        var proposalId = harness.Stage(RuntimeHarness.Create("new.txt", "hello\n"));
        MakeSparse(harness, "new.txt", 1L << 30);

        var result = harness.ApproveAll(proposalId);

        Assert.NotEqual(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(1L << 30, new FileInfo(harness.Workspace.PathOf("new.txt")).Length);
        Assert.Empty(harness.Entries(EntryKind.Commit));
    }

    [Fact]
    public void ARevertOfAFileThatBecameHugeIsRefusedAsAConflictAndDriftNamesItsHash()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var commit = harness.ApproveAll(harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n"))));
        MakeSparse(harness, "a.txt", WorkspaceDirectory.MaxFileBytes + 1);

        var revert = harness.Runtime.Revert(commit.CommitSeq!.Value, "human:tester", "");

        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.RevertConflict), (revert.Outcome, revert.Error!.Code));
        Assert.Contains("is now larger than the 256 MiB OpenThymos reads", revert.Error.Message);
        using var workspace = new WorkspaceDirectory(harness.Workspace.Workspace);
        var drift = WorldReplayer.Drift(WorldReplayer.Replay(harness.Runtime.Ledger.Store), workspace);
        var item = Assert.Single(drift.Items);
        Assert.Equal((DriftKind.ChangedOutsideLedger, workspace.HashFile("a.txt", null, out _).Hash!.Value.ToString()), (item.Kind, item.Actual));
    }

    [Fact]
    public void TheApplierSeesAFileOverTheLimitAsAStateNoLedgerStateEquals()
    {
        using var harness = new RuntimeHarness();
        MakeSparse(harness, "big.bin", WorkspaceDirectory.MaxFileBytes + 1);
        using var applier = new AtomicApplier(harness.Workspace.Workspace);

        var state = applier.StateOnDisk("big.bin");

        Assert.True(state.IsTooLarge);
        Assert.False(state.Is(null));
        Assert.Null(state.Hash);
    }
}
