// The entries collection keeps only its seq index: the kind and actor indexes earlier versions made are dropped at open.
using LiteDB;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class EntryIndexTests
{
    private static PendingEntry Observation(int i) =>
        PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", new ExternalChangeObservedPayload($"src/file{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload);

    private static List<string> EntryIndexes(string ledgerPath)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = ledgerPath, Connection = ConnectionType.Direct });
        return [.. database.GetCollection("$indexes").Query().Where("collection = 'entries'").ToEnumerable().Select(index => index["name"].AsString).Order()];
    }

    [Fact]
    public void AKindAndActorIndexLeftByAnEarlierVersionIsDroppedAndTheLedgerStaysWhole()
    {
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany([Observation(1), Observation(2)], []);
        }

        // What an earlier version left: entries indexed by kind and by actor too.
        using (var database = new LiteDatabase(new ConnectionString { Filename = workspace.LedgerPath, Connection = ConnectionType.Direct }))
        {
            database.GetCollection("entries").EnsureIndex("kind");
            database.GetCollection("entries").EnsureIndex("actor");
        }

        Assert.Equal(["_id", "actor", "kind"], EntryIndexes(workspace.LedgerPath));

        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany([Observation(3)], []);
            Assert.Equal(4, ledger.Head.Seq);
        }

        Assert.Equal(["_id"], EntryIndexes(workspace.LedgerPath));
        var result = LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(4, result.HeadSeq);
    }

    [Fact]
    public void ANewLedgerIndexesItsEntriesBySeqOnly()
    {
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany([Observation(1)], []);
        }

        Assert.Equal(["_id"], EntryIndexes(workspace.LedgerPath));
    }
}
