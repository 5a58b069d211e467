// The one-pass verify-and-replay gives exactly what verify and replay give separately, and no world for a ledger that does not verify.
using LiteDB;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class VerifyAndReplayTests
{
    private static void AssertSameResult(VerificationResult expected, VerificationResult actual)
    {
        Assert.Equal(expected.EntriesChecked, actual.EntriesChecked);
        Assert.Equal(expected.BlobsChecked, actual.BlobsChecked);
        Assert.Equal(expected.HeadSeq, actual.HeadSeq);
        Assert.Equal(expected.HeadHash, actual.HeadHash);
        Assert.Equal(expected.AnchorChecked, actual.AnchorChecked);
        Assert.Equal(expected.Problems.Select(p => (p.Seq, p.Code, p.Message)), actual.Problems.Select(p => (p.Seq, p.Code, p.Message)));
    }

    [Fact]
    public void OnePassGivesVerifysResultAndReplaysWorld()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 3);

        // An external change observed under a pending proposal: it sets the last known state, not the files.
        harness.Stage(harness.Edit("src/app.txt", "\n4\n", "\nfour\n"));
        harness.Workspace.Write("src/app.txt", "changed by hand\n");
        Assert.NotEmpty(harness.Runtime.ObserveChangedFiles(["src/app.txt"]));

        // Enough entries for the verifier to check a batch on every core (it spreads batches of 512 and more).
        for (var i = 0; harness.Runtime.Ledger.Head.Seq < 700; i++)
        {
            harness.ApproveAll(harness.Stage(RuntimeHarness.Create($"bulk/f{i}.txt", $"file {i}\n")));
        }

        var store = harness.Runtime.Ledger.Store;
        var expectedResult = LedgerVerifier.Verify(store, harness.Workspace.KeyDirectory);
        var expectedWorld = WorldReplayer.Replay(store);
        var (result, world) = LedgerVerifier.VerifyAndReplay(store, harness.Workspace.KeyDirectory);

        Assert.True(expectedResult.IsValid, string.Join("\n", expectedResult.Problems));
        AssertSameResult(expectedResult, result);
        Assert.NotNull(world);
        Assert.Equal(expectedWorld.Seq, world.Seq);
        Assert.Equal(expectedWorld.Files, world.Files);
        Assert.Equal(expectedWorld.LastKnown, world.LastKnown);
        Assert.Equal(expectedWorld.LastTouchedBy, world.LastTouchedBy);
        Assert.NotEqual(world.Files["src/app.txt"], world.LastKnown["src/app.txt"]); // the observed change is in
    }

    [Fact]
    public void ALedgerThatDoesNotVerifyGivesItsProblemsAndNoWorld()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 2);
        var commit = harness.Entries(EntryKind.Commit)[1].Seq;
        harness.Runtime.Dispose();
        using (var database = new LiteDatabase(new ConnectionString { Filename = harness.Workspace.LedgerPath, Connection = ConnectionType.Direct }))
        {
            Assert.True(database.GetCollection("entries").Delete(commit)); // a commit dropped from the middle
        }

        using var store = LiteDbLedgerStore.OpenReadOnly(harness.Workspace.LedgerPath);
        var expected = LedgerVerifier.Verify(store, harness.Workspace.KeyDirectory);
        var (result, world) = LedgerVerifier.VerifyAndReplay(store, harness.Workspace.KeyDirectory);

        Assert.Contains(expected.Problems, p => p.Seq == commit && p.Code == VerificationProblemCode.SeqGap);
        AssertSameResult(expected, result);
        Assert.Null(world);
    }
}
