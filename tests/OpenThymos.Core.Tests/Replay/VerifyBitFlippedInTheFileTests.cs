// Regressions: single bits flipped in the ledger file itself (not written through the store) made verify name the
// wrong entry, name every entry, or end the process. Found by the reliability suite's raw-file tamper harness
// (RawFileTamperTests).
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class VerifyBitFlippedInTheFileTests
{
    /// <summary>Entries in the ledger: one sealed entry block (1 to 256) and single documents 257 to 301.</summary>
    private const int Appended = 300;

    /// <summary>LiteDB 5's page size: page n of the data file starts at byte n × 8 KiB.</summary>
    private const int PageSize = 8192;

    [Fact]
    public async Task AnEntryWhoseSeqWasChangedInsideAnEntryBlockIsNamedWhereItIsStoredNotWhereItClaimsToBe()
    {
        // Entry 100's seq is the 8 big-endian bytes after "OTLE" and the version; its lowest byte 0x64 becomes 0x24.
        // Before the fix verify said entry 36 was changed and entries 37 to 99 were missing.
        var result = await VerifyWithOneBitFlippedAsync(seq: 100, offsetInEntry: _ => 12, bit: 6);

        Assert.Equal((100L, VerificationProblemCode.SeqMismatch), (result.Problems[0].Seq, result.Problems[0].Code));
        Assert.All(result.Problems, problem => Assert.Equal(100, problem.Seq));
    }

    [Fact]
    public async Task AnEntryWhoseDocumentIdWasChangedInTheFileIsNamedWhereItIsStored()
    {
        // The document's own _id (little-endian Int64 after the length, type byte and "_id\0"): 280 becomes 24,
        // while the index still files it under 280. Before the fix verify said entry 24 was changed and entries 25 to
        // 279 were missing.
        var result = await VerifyWithOneBitFlippedAsync(seq: 280, offsetInEntry: _ => 10, bit: 0);

        Assert.Equal((280L, VerificationProblemCode.SeqMismatch), (result.Problems[0].Seq, result.Problems[0].Code));
        Assert.All(result.Problems, problem => Assert.Equal(280, problem.Seq));
    }

    [Fact]
    public async Task ADocumentLiteDbCannotDecodeIsReportedAtItsSeqAndEveryOtherEntryStillVerifies()
    {
        // The length of the document's last field (the 32-byte hash) becomes 96, past the document's end: LiteDB
        // fails, and closes its engine for good. Before the fix every entry read after that failed with the same
        // error, so verify reported entries 1 to 301 unreadable instead of entry 290.
        var result = await VerifyWithOneBitFlippedAsync(seq: 290, offsetInEntry: length => length - 1 - 32 - 1 - 4, bit: 6);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((290L, VerificationProblemCode.EntryUnreadable), (problem.Seq, problem.Code));
        Assert.Contains("ledger.db", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1 + Appended, result.EntriesChecked);
    }

    [Fact]
    public async Task APageWhoseHeaderNamesAnotherPageIsReportedAsDamagedInsteadOfEndingTheProcess()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 1);
        harness.Runtime.Dispose();
        var path = harness.Workspace.LedgerPath;
        var original = await File.ReadAllBytesAsync(path);

        // Collection pages (type 2, the header's fifth byte) hold LiteDB's bookkeeping of each collection.
        var collectionPages = Enumerable.Range(0, original.Length / PageSize).Where(page => original[(page * PageSize) + 4] == 2).ToList();
        Assert.True(collectionPages.Count >= 4, $"only {collectionPages.Count} collection pages");
        foreach (var page in collectionPages)
        {
            var copy = original.ToArray();
            copy[page * PageSize] ^= 0x10;
            await File.WriteAllBytesAsync(path, copy);

            var result = await Task.Run(() => LedgerVerifier.VerifyFile(path, harness.Workspace.KeyDirectory)).WaitAsync(TimeSpan.FromSeconds(60));

            var problem = Assert.Single(result.Problems);
            Assert.Equal(VerificationProblemCode.Unreadable, problem.Code);
            Assert.Contains($"page {page} ", problem.Message, StringComparison.Ordinal);

            // Before the fix LiteDB read such a page, failed to release it, and the transaction it abandoned threw
            // from its finalizer: here, ending the test process (in the sidecar, the sidecar).
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        await File.WriteAllBytesAsync(path, original);
        harness.Restart();
    }

    [Fact]
    public async Task AFlipInTheBlobIndexThatOnlyTheListOfBlobsWalksIsReportedInsteadOfPassingVerify()
    {
        // Seed 1944761 of RawFileTamperTests flipped a link in the blob index that reading a blob by its id never
        // follows but listing every blob does: verify, which read blobs only by id, said the ledger was intact while
        // the store's list of blobs failed. Here the last blob's level-0 link to the index's tail is sent past the
        // end of the file (bit 7 of its page number).
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 1);
        harness.Runtime.Dispose();
        var path = harness.Workspace.LedgerPath;
        var original = await File.ReadAllBytesAsync(path);
        List<ContentHash> blobs;
        using (var store = LiteDbLedgerStore.OpenReadOnly(path))
        {
            blobs = [.. store.ListBlobs()];
        }

        Assert.True(blobs.Count >= 2, $"only {blobs.Count} blobs");
        var flipped = false;
        foreach (var blob in blobs.OrderByDescending(hash => hash.ToString(), StringComparer.Ordinal))
        {
            if (LevelZeroNextLinkOf(original, blob.ToString()) is not int link)
            {
                continue;
            }

            var copy = original.ToArray();
            copy[link] ^= 0x80;
            await File.WriteAllBytesAsync(path, copy);
            if (await OnlyTheListOfBlobsFailsAsync(path, blobs))
            {
                flipped = true;
                break;
            }
        }

        Assert.True(flipped, "no flip in the blob index was found that breaks only the list of blobs");
        var result = await Task.Run(() => LedgerVerifier.VerifyFile(path, harness.Workspace.KeyDirectory)).WaitAsync(TimeSpan.FromSeconds(60));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((null, VerificationProblemCode.Unreadable), (problem.Seq, problem.Code));
        Assert.Contains("list of blobs", problem.Message, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(path, original);
    }

    [Fact]
    public async Task AnEntryBlockWhoseCountWasChangedIsReportedThoughEachOfItsEntriesReadsAlone()
    {
        // Seed 388169410 of RawFileTamperTests turned the entry block's count 256 into 320 (bit 6 of its lowest byte):
        // reading the entry block's entries in order failed, but verify, falling back to reading one entry at a time,
        // read each of them and said the ledger was intact.
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany(
                [.. Enumerable.Range(0, Appended).Select(i => PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", new ExternalChangeObservedPayload($"src/file{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload))],
                []);
            ((LiteDbLedgerStore)ledger.Store).SealCompleteBlocks();
        }

        var file = await File.ReadAllBytesAsync(workspace.LedgerPath);
        byte[] countField = [0x10, .. "count"u8, 0x00, 0x00, 0x01, 0x00, 0x00];
        var at = file.AsSpan().IndexOf(countField);
        Assert.True(at >= 0, "the entry block's count field is not in the file");
        file[at + 7] ^= 1 << 6;
        await File.WriteAllBytesAsync(workspace.LedgerPath, file);
        using (var store = LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath))
        {
            Assert.NotNull(store.Read(1));
            Assert.ThrowsAny<InvalidDataException>(() => store.ReadRange(1, store.MaxSeq()).ToList());
        }

        var result = await Task.Run(() => LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory)).WaitAsync(TimeSpan.FromSeconds(60));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((1L, VerificationProblemCode.EntryUnreadable), (problem.Seq, problem.Code));
        Assert.Contains("records 320", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(62)]
    public async Task VerifyFinishesWhenReadingUpToSomethingFiledFarBeyondTheHeadFails(int bit)
    {
        // One bit flipped in the index key of the first entry block filed it under 2^37 + 1 while its document still says
        // entry 1: the head became 2^37 + 256, and every read of a range reaching that key failed. Verify stepped
        // through the empty range below it a page at a time (2^28 steps), practically forever. The store here
        // fails the same way, for a key at 2^bit.
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany(
                [.. Enumerable.Range(0, 20).Select(i => PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", new ExternalChangeObservedPayload($"src/file{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload))],
                []);
        }

        using var store = new FailingFarBeyondTheHead(LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath), 1L << bit);

        var result = await Task.Run(() => LedgerVerifier.Verify(store, keyDirectory: null)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((22L, VerificationProblemCode.SeqGap), (result.Problems[0].Seq, result.Problems[0].Code));
        Assert.Contains(result.Problems, problem => problem.Seq == 1L << bit && problem.Code == VerificationProblemCode.EntryUnreadable);
    }

    /// <summary>Builds the ledger, flips one bit inside the stored bytes of entry <paramref name="seq"/> in the closed file, and verifies it.</summary>
    private static async Task<VerificationResult> VerifyWithOneBitFlippedAsync(long seq, Func<int, int> offsetInEntry, int bit)
    {
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.AppendMany(
                [.. Enumerable.Range(0, Appended).Select(i => PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", new ExternalChangeObservedPayload($"src/file{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload))],
                []);
            ((LiteDbLedgerStore)ledger.Store).SealCompleteBlocks();
        }

        LedgerEntry entry;
        using (var store = LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath))
        {
            Assert.Equal(1, store.BlockCount);
            entry = store.Read(seq)!;
        }

        var stored = LiteDbLedgerStore.StoredBytesOf(entry, isSealed: seq <= EntryBlock.Size);
        var file = await File.ReadAllBytesAsync(workspace.LedgerPath);
        var at = file.AsSpan().IndexOf(stored);
        Assert.True(at >= 0, $"entry {seq} is not stored contiguously in the file");
        file[at + offsetInEntry(stored.Length)] ^= (byte)(1 << bit);
        await File.WriteAllBytesAsync(workspace.LedgerPath, file);

        var result = await Task.Run(() => LedgerVerifier.VerifyFile(workspace.LedgerPath, workspace.KeyDirectory)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(result.IsValid);
        return result;
    }

    /// <summary>
    /// Where, in an index page of the file, the page number of the level-0 next link of the index node whose key is
    /// <paramref name="key"/> starts, or null. LiteDB 5's index node: slot, levels, data block (5 bytes), next node
    /// (5), then per level a previous and a next link (5 each: page number, little-endian, and slot), then the key
    /// (its type, its length, its UTF-8 bytes).
    /// </summary>
    private static int? LevelZeroNextLinkOf(byte[] file, string key)
    {
        const int IndexPage = 3;
        var text = System.Text.Encoding.UTF8.GetBytes(key);
        for (var at = file.AsSpan().IndexOf(text); at >= 0;)
        {
            if (file[(at / PageSize * PageSize) + 4] == IndexPage)
            {
                for (var levels = 1; levels <= 32; levels++)
                {
                    var node = at - 2 - 12 - (levels * 10);
                    if (node > at / PageSize * PageSize && file[node + 1] == levels && file[at - 1] == text.Length)
                    {
                        return node + 12 + 5;
                    }
                }
            }

            var next = file.AsSpan(at + 1).IndexOf(text);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return null;
    }

    /// <summary>True when the store reads every entry and every blob by its id, but cannot list its blobs.</summary>
    private static Task<bool> OnlyTheListOfBlobsFailsAsync(string path, IReadOnlyList<ContentHash> blobs) => Task.Run(() =>
    {
        try
        {
            using var store = LiteDbLedgerStore.OpenReadOnly(path);
            if (store.ReadRange(1, store.MaxSeq()).Count() != store.Count() || blobs.Any(hash => store.ReadBlob(hash) is not { } content || ContentHash.Of(content) != hash))
            {
                return false;
            }

            try
            {
                _ = store.ListBlobs().ToList();
                return false;
            }
            catch (LiteDB.LiteException)
            {
                return true;
            }
        }
        catch (Exception)
        {
            return false;
        }
    }).WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>A real store whose index also files something under <paramref name="farSeq"/> that cannot be read.</summary>
    private sealed class FailingFarBeyondTheHead(ILedgerStore inner, long farSeq) : ILedgerStore
    {
        public string Location => inner.Location;

        public LedgerEntry? ReadLast() => inner.ReadLast();

        public LedgerEntry? Read(long seq) => seq == farSeq ? throw new InvalidDataException($"entry {seq} is damaged") : inner.Read(seq);

        public IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq)
        {
            foreach (var entry in inner.ReadRange(fromSeq, Math.Min(toSeq, farSeq - 1)))
            {
                yield return entry;
            }

            if (fromSeq <= farSeq && farSeq <= toSeq)
            {
                throw new InvalidDataException($"entry {farSeq} is damaged");
            }
        }

        public long MaxSeq() => farSeq;

        public long Count() => inner.Count() + 1;

        public void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs) => throw new InvalidOperationException("read-only");

        public bool ContainsBlob(ContentHash hash) => inner.ContainsBlob(hash);

        public byte[]? ReadBlob(ContentHash hash) => inner.ReadBlob(hash);

        public IEnumerable<ContentHash> ListBlobs() => inner.ListBlobs();

        public void Dispose() => inner.Dispose();
    }
}
