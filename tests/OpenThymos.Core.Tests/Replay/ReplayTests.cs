// Replay: the world at any seq, any file rebuilt from blobs, and drift between the ledger and the disk.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class ReplayTests
{
    [Fact]
    public void AnyFileCanBeRebuiltAtAnySeqFromTheLedgerAlone()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "v1\n");
        var first = harness.ApproveAll(harness.Stage(harness.Modify("a.txt", "v2\n"))).CommitSeq!.Value;
        var second = harness.ApproveAll(harness.Stage(harness.Modify("a.txt", "v3\r\n"))).CommitSeq!.Value;
        var deleted = harness.ApproveAll(harness.Stage(new FileIntent(FileIntentKind.Delete, "a.txt", BaseHash: harness.HashOf("a.txt")))).CommitSeq!.Value;
        var store = harness.Runtime.Ledger.Store;

        Assert.Null(WorldReplayer.RebuildFile(store, "a.txt", first - 1));
        Assert.Equal("v2\n"u8.ToArray(), WorldReplayer.RebuildFile(store, "a.txt", first));
        Assert.Equal("v2\n"u8.ToArray(), WorldReplayer.RebuildFile(store, "a.txt", second - 1));
        Assert.Equal("v3\r\n"u8.ToArray(), WorldReplayer.RebuildFile(store, "a.txt", second));
        Assert.Null(WorldReplayer.RebuildFile(store, "a.txt", deleted));
    }

    [Fact]
    public void RebuildingAFileAtEverySeqGivesWhatTheFullFoldGives()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 3);
        var store = harness.Runtime.Ledger.Store;
        var head = store.MaxSeq();
        var paths = WorldReplayer.Replay(store).Files.Keys.Append("never-touched.txt").ToList();
        var compared = 0;
        for (var seq = 0L; seq <= head + 2; seq++)
        {
            var world = WorldReplayer.Replay(store, seq);
            foreach (var path in paths)
            {
                var expected = world.Files.TryGetValue(path, out var hash) && hash is not null ? store.ReadBlob(ContentHash.Parse(hash)) : null;
                Assert.Equal(expected, WorldReplayer.RebuildFile(store, path, seq));
                compared++;
            }
        }

        Assert.True(compared > 100, $"only {compared} comparisons");
    }

    [Fact]
    public void ReplayingTheSameLedgerTwiceGivesTheSameWorld()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness);
        var store = harness.Runtime.Ledger.Store;

        var first = WorldReplayer.Replay(store);
        var second = WorldReplayer.Replay(store);

        Assert.Equal(first.Files, second.Files);
        Assert.Equal(harness.Runtime.State.World.OrderBy(p => p.Key, StringComparer.Ordinal), first.Files);
    }

    [Fact]
    public void DriftClassifiesChangedMissingAndUnexpectedFiles()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("changed.txt", "c\n");
        harness.Workspace.Write("missing.txt", "m\n");
        harness.Workspace.Write("resurrected.txt", "r\n");
        harness.ApproveAll(harness.Stage(
            harness.Modify("changed.txt", "c2\n"),
            harness.Modify("missing.txt", "m2\n"),
            new FileIntent(FileIntentKind.Delete, "resurrected.txt", BaseHash: harness.HashOf("resurrected.txt")),
            RuntimeHarness.Create("untouched.txt", "u\n")));
        Assert.True(WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace).IsClean);

        harness.Workspace.Write("changed.txt", "edited by hand\n");
        File.Delete(harness.Workspace.PathOf("missing.txt"));
        harness.Workspace.Write("resurrected.txt", "back\n");
        harness.Workspace.Write("never-tracked.txt", "not the ledger's business\n");

        var drift = WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace);

        Assert.Equal(
            [("changed.txt", DriftKind.ChangedOutsideLedger), ("missing.txt", DriftKind.Missing), ("resurrected.txt", DriftKind.Unexpected)],
            drift.Items.Select(i => (i.Path, i.Kind)));
    }
}
