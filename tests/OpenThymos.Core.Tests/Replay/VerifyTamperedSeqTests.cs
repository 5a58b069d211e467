// Regression: an entry whose seq was tampered to a huge value sent verify stepping through the empty range
// below it a page at a time, practically forever. Found by the reliability suite's tamper harness.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class VerifyTamperedSeqTests
{
    [Theory]
    [InlineData(33)]
    [InlineData(62)]
    public async Task AnEntryMovedToASeqFarBeyondTheHeadIsReportedAsAGapWithoutScanningTheEmptyRange(int bit)
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 1);
        var entries = harness.Runtime.Ledger.Read().ToList();
        var blobs = harness.Runtime.Ledger.Store.ListBlobs().Select(h => new BlobWrite(h, harness.Runtime.Ledger.ReadBlob(h)!)).ToList();
        harness.Runtime.Dispose();
        var moved = entries[3];
        var tampered = entries.Select(e => e == moved ? e with { Seq = e.Seq | (1L << bit) } : e).OrderBy(e => e.Seq).ToList();
        var copy = Path.Combine(harness.Workspace.Root, "tampered", "ledger.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        using (var store = LiteDbLedgerStore.OpenForWriting(copy, "test"))
        {
            store.Append(tampered, blobs);
        }

        // Before the fix this did not finish: 2^62 / 512 empty page reads.
        var result = await Task.Run(() => LedgerVerifier.VerifyFile(copy, harness.Workspace.KeyDirectory)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(result.IsValid);
        Assert.Equal((moved.Seq, VerificationProblemCode.SeqGap), (result.Problems[0].Seq, result.Problems[0].Code));
        Assert.Equal(entries.Count, result.EntriesChecked);
        harness.Restart();
    }
}
