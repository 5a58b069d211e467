// Storage layout 2: sealed entry blocks plus a tail of single documents, read back exactly, and layout-1 files still read and migrated.
using LiteDB;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using Xunit;

namespace OpenThymos.Core.Tests.Storage.LiteDb;

public sealed class EntryBlockLayoutTests
{
    private static ExternalChangeObservedPayload Observation(int i) => new($"src/file{i % 7}.txt", null, null, null);

    /// <summary>Builds a ledger of 1 + <paramref name="appended"/> entries in appends of varying size and returns every entry as written.</summary>
    private static List<LedgerEntry> Build(TempWorkspace workspace, int appended)
    {
        using var ledger = WorkspaceLedger.Open(workspace.Options());
        var written = 0;
        var size = 1;
        while (written < appended)
        {
            var count = Math.Min(size, appended - written);
            ledger.AppendMany([.. Enumerable.Range(written, count).Select(i => PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload))], []);
            written += count;
            size = size % 97 + 13;
        }

        ((LiteDbLedgerStore)ledger.Store).SealCompleteBlocks();
        return [.. ledger.Read()];
    }

    private static void AssertSame(LedgerEntry expected, LedgerEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Parent, actual.Parent);
        Assert.Equal(expected.TimeUnixMilliseconds, actual.TimeUnixMilliseconds);
        Assert.Equal(expected.Actor, actual.Actor);
        Assert.Equal(expected.Payload, actual.Payload);
        Assert.Equal(expected.Hash, actual.Hash);
    }

    [Fact]
    public void SealedAndTailEntriesReadBackExactlyByRangeAndBySeq()
    {
        using var workspace = new TempWorkspace();
        var entries = Build(workspace, 1000);

        using var store = LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath);
        Assert.Equal(LiteDbLedgerStore.CurrentLayoutVersion, store.LayoutVersion);
        Assert.Equal(1001 / EntryBlock.Size, store.BlockCount);
        Assert.Equal(1001, store.MaxSeq());
        Assert.Equal(1001, store.Count());
        AssertSame(entries[^1], store.ReadLast());
        Assert.Null(store.Read(0));
        Assert.Null(store.Read(1002));
        foreach (var entry in entries)
        {
            AssertSame(entry, store.Read(entry.Seq));
        }

        var all = store.ReadRange(1, long.MaxValue).ToList();
        Assert.Equal(entries.Count, all.Count);
        for (var index = 0; index < entries.Count; index++)
        {
            AssertSame(entries[index], all[index]);
        }

        foreach (var (from, to) in new (long, long)[] { (1, 1), (200, 300), (256, 257), (255, 770), (768, 769), (700, 1001), (1001, 5000), (1002, 1100), (513, 768) })
        {
            var range = store.ReadRange(from, to).ToList();
            Assert.Equal(entries.Where(e => e.Seq >= from && e.Seq <= to).Select(e => e.Seq), range.Select(e => e.Seq));
        }

        var result = LedgerVerifier.Verify(store, workspace.KeyDirectory);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(1001, result.EntriesChecked);
    }

    [Fact]
    public void AppendsContinueAfterSealingAndAcrossReopening()
    {
        using var workspace = new TempWorkspace();
        Build(workspace, 600);
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            Assert.Equal(601, ledger.Head.Seq);
            for (var i = 0; i < 300; i++)
            {
                ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);
            }

            ((LiteDbLedgerStore)ledger.Store).SealCompleteBlocks();
            Assert.Equal(3, ((LiteDbLedgerStore)ledger.Store).BlockCount);
        }

        var result = LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(901, result.EntriesChecked);
    }

    [Fact]
    public void ALayoutOneLedgerIsReadAsItIsAndSealedWhenOpenedForWriting()
    {
        using var workspace = new TempWorkspace();
        var entries = Build(workspace, 700);

        // Rewrite the file as a layout-1 writer left it: every entry a single document, no entry blocks, no layout record.
        var layoutOne = Path.Combine(workspace.Root, "layout1.db");
        using (var database = new LiteDatabase(new ConnectionString { Filename = layoutOne, Connection = ConnectionType.Direct }))
        {
            var collection = database.GetCollection("entries");
            collection.InsertBulk(entries.Select(entry => new BsonDocument
            {
                ["_id"] = entry.Seq,
                ["kind"] = entry.Kind,
                ["parent"] = entry.Parent.Bytes.ToArray(),
                ["time"] = entry.TimeUnixMilliseconds,
                ["actor"] = entry.Actor,
                ["payload"] = entry.Payload,
                ["hash"] = entry.Hash.Bytes.ToArray(),
            }));
        }

        using (var reader = LiteDbLedgerStore.OpenReadOnly(layoutOne))
        {
            Assert.Equal(1, reader.LayoutVersion);
            Assert.Equal(0, reader.BlockCount);
            Assert.Equal(entries.Select(e => e.Hash), reader.ReadRange(1, long.MaxValue).Select(e => e.Hash));
            Assert.True(LedgerVerifier.Verify(reader, keyDirectory: null).IsValid);
        }

        using (var writer = LiteDbLedgerStore.OpenForWriting(layoutOne, "test"))
        {
            writer.SealCompleteBlocks();
            Assert.Equal(LiteDbLedgerStore.CurrentLayoutVersion, writer.LayoutVersion);
            Assert.Equal(2, writer.BlockCount);
        }

        using var migrated = LiteDbLedgerStore.OpenReadOnly(layoutOne);
        var all = migrated.ReadRange(1, long.MaxValue).ToList();
        Assert.Equal(entries.Count, all.Count);
        for (var index = 0; index < entries.Count; index++)
        {
            AssertSame(entries[index], all[index]);
        }

        var result = LedgerVerifier.Verify(migrated, keyDirectory: null);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
    }

    [Fact]
    public void ABitFlippedInsideASealedEntryBlockIsReported()
    {
        using var workspace = new TempWorkspace();
        var entries = Build(workspace, 400);
        var target = entries[100 - 1];

        using (var database = new LiteDatabase(new ConnectionString { Filename = workspace.LedgerPath, Connection = ConnectionType.Direct }))
        {
            var blocks = database.GetCollection("segments");
            var block = blocks.FindById(1L);
            var data = block["data"].AsBinary;

            // The stored hash follows the record, so the byte before it is the payload's last byte.
            var at = data.AsSpan().IndexOf(target.Hash.Bytes);
            Assert.True(at > 0);
            data[at - 1] ^= 0x01;
            block["data"] = data;
            blocks.Update(block);
        }

        var result = LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory);
        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Seq == target.Seq);
    }

    [Fact]
    public void AnEntryBlockCutShortIsReportedAsUnreadableEntriesNotAnException()
    {
        using var workspace = new TempWorkspace();
        Build(workspace, 400);

        using (var database = new LiteDatabase(new ConnectionString { Filename = workspace.LedgerPath, Connection = ConnectionType.Direct }))
        {
            var blocks = database.GetCollection("segments");
            var block = blocks.FindById(1L);
            block["data"] = block["data"].AsBinary[..^40];
            blocks.Update(block);
        }

        var result = LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory);
        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Code == VerificationProblemCode.EntryUnreadable);
    }
}
