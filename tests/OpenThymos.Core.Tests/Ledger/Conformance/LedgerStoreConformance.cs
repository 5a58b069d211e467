// The acceptance suite every ledger backend passes: the ILedgerStore contract, run through a per-backend fixture.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger.Conformance;

/// <summary>
/// What <see cref="ILedgerStore"/> promises (its doc comment), as tests. A backend passes by subclassing this with a
/// <see cref="Stores"/> fixture; the LiteDB subclass is <see cref="LiteDbLedgerStoreConformance"/>.
/// </summary>
public abstract class LedgerStoreConformance : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    /// <summary>The backend under test.</summary>
    protected abstract ILedgerStoreFactory Stores { get; }

    /// <summary>
    /// Damages the stored entry <paramref name="seq"/> of the closed ledger at <paramref name="location"/> so that it can no
    /// longer be read back (as a flipped bit in its stored form would), leaving every other entry as it is.
    /// </summary>
    protected abstract void DamageEntry(string location, long seq);

    /// <summary>Where the ledger under test lives.</summary>
    protected string Location => _workspace.LedgerPath;

    public void Dispose()
    {
        _workspace.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void ANewStoreIsEmpty()
    {
        using var store = Stores.OpenForWriting(Location, "conformance");
        Assert.Null(store.ReadLast());
        Assert.Null(store.Read(1));
        Assert.Equal(0, store.MaxSeq());
        Assert.Equal(0, store.Count());
        Assert.Empty(store.ReadRange(1, long.MaxValue));
        Assert.Empty(store.ListBlobs());
        Assert.True(Stores.Exists(Location));
    }

    [Fact]
    public void EveryAppendedEntryReadsBackExactlyByEveryRead()
    {
        var entries = Chain(600);
        using (var store = Stores.OpenForWriting(Location, "conformance"))
        {
            foreach (var batch in entries.Chunk(37))
            {
                store.Append(batch, []);
            }

            AssertHolds(store, entries);
        }

        using var reader = Stores.OpenReadOnly(Location);
        AssertHolds(reader, entries);
    }

    [Fact]
    public void ARangeYieldsOnlyTheSeqsAskedForInAscendingOrder()
    {
        var entries = Chain(300);
        using var store = Stores.OpenForWriting(Location, "conformance");
        store.Append(entries, []);
        Assert.Equal(Enumerable.Range(250, 20).Select(i => (long)i), store.ReadRange(250, 269).Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => (long)i), store.ReadRange(-5, 3).Select(e => e.Seq));
        Assert.Equal(new long[] { 299, 300 }, store.ReadRange(299, long.MaxValue).Select(e => e.Seq));
        Assert.Empty(store.ReadRange(301, 400));
        Assert.Empty(store.ReadRange(10, 9));
    }

    [Fact]
    public void AReadOfWhatIsNotStoredIsNullNotAnException()
    {
        using var store = Stores.OpenForWriting(Location, "conformance");
        store.Append(Chain(3), []);
        Assert.Null(store.Read(0));
        Assert.Null(store.Read(-1));
        Assert.Null(store.Read(4));
        Assert.Null(store.Read(long.MaxValue));
        Assert.Null(store.ReadBlob(ContentHash.Of([9, 9, 9])));
        Assert.False(store.ContainsBlob(ContentHash.Of([9, 9, 9])));
    }

    [Fact]
    public void TheStoreKeepsAnEntryAsGivenEvenWhenItsHashDoesNotMatchItsFields()
    {
        var honest = Chain(2);
        var wrong = honest[1] with { Hash = ContentHash.Of([1]) };
        using var store = Stores.OpenForWriting(Location, "conformance");
        store.Append([honest[0], wrong], []);
        Assert.Equal(Key(wrong), Key(store.Read(2)));
        Assert.Equal(ContentHash.Of([1]), store.ReadLast()!.Hash);
    }

    [Fact]
    public void BlobsAreStoredOnceUnderTheirHashAndListed()
    {
        var small = BlobWrite.Of(new byte[] { 1, 2, 3 });
        var large = BlobWrite.Of(Enumerable.Range(0, (3 << 20) + 5).Select(i => (byte)(i * 7)).ToArray());
        var entries = Chain(3);
        using var store = Stores.OpenForWriting(Location, "conformance");
        store.Append([entries[0]], [small, large]);
        store.Append([entries[1]], [small]);
        store.Append([entries[2]], []);
        Assert.Equal(small.Content.ToArray(), store.ReadBlob(small.Hash));
        Assert.Equal(large.Content.ToArray(), store.ReadBlob(large.Hash));
        Assert.True(store.ContainsBlob(large.Hash));
        Assert.Equal(new[] { small.Hash, large.Hash }.Select(h => h.ToString()).Order(), store.ListBlobs().Select(h => h.ToString()).Order());
    }

    [Fact]
    public void AReadOnlyStoreRefusesToAppendAndWritesNothing()
    {
        using (var writer = Stores.OpenForWriting(Location, "conformance"))
        {
            writer.Append(Chain(2), []);
        }

        using var reader = Stores.OpenReadOnly(Location);
        Assert.Throws<InvalidOperationException>(() => reader.Append(Chain(3)[2..], []));
        Assert.Equal(2, reader.Count());
    }

    [Fact]
    public void ASecondWriterIsRefusedWithTheLockExceptionWhileReadersOpen()
    {
        using var writer = Stores.OpenForWriting(Location, "first writer");
        writer.Append(Chain(1), []);
        var refusal = Assert.Throws<LedgerLockedException>(() => Stores.OpenForWriting(Location, "second writer"));
        Assert.Contains("first writer", refusal.Message, StringComparison.Ordinal);
        using var reader = Stores.OpenReadOnly(Location);
        Assert.Equal(1, reader.Count());
    }

    [Fact]
    public void OpeningALedgerThatDoesNotExistForReadingIsAFileNotFound()
    {
        Assert.False(Stores.Exists(Location));
        Assert.Throws<FileNotFoundException>(() => Stores.OpenReadOnly(Location));
    }

    [Fact]
    public async Task ReadersRunningDuringAppendsSeeEachAppendWholeAndInOrder()
    {
        var entries = Chain(400);
        using var store = Stores.OpenForWriting(Location, "conformance");
        store.Append([entries[0]], []);
        var done = false;
        var reader = Task.Run(() =>
        {
            var violations = 0;
            while (!Volatile.Read(ref done))
            {
                var seen = store.ReadRange(1, long.MaxValue).Select(e => e.Seq).ToList();
                violations += seen.Count % 3 == 1 && seen.SequenceEqual(Enumerable.Range(1, seen.Count).Select(i => (long)i)) ? 0 : 1;
            }

            return violations;
        });
        foreach (var batch in entries.Skip(1).Chunk(3))
        {
            store.Append(batch, []);
        }

        Volatile.Write(ref done, true);
        Assert.Equal(0, await reader.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void ADamagedEntryFailsOnlyTheReadsThatTouchItAndTheVerifierNamesIt()
    {
        var entries = Chain(300);
        using (var writer = Stores.OpenForWriting(Location, "conformance"))
        {
            writer.Append(entries, []);
        }

        DamageEntry(Location, 290);
        using var reader = Stores.OpenReadOnly(Location);
        var single = Record.Exception(() => reader.Read(290));
        Assert.True(single is InvalidDataException or IOException, $"a damaged read threw {single?.GetType().Name ?? "nothing"}");
        Assert.Equal(Key(entries[288]), Key(reader.Read(289)));
        var range = Record.Exception(() => reader.ReadRange(285, 295).ToList());
        Assert.True(range is InvalidDataException or IOException, $"a damaged range threw {range?.GetType().Name ?? "nothing"}");
        Assert.Equal(Key(entries[299]), Key(reader.Read(300)));
        Assert.Equal(entries.Take(280).Select(Key), reader.ReadRange(1, 280).Select(Key));
        Assert.Equal(300, reader.Count());

        var result = LedgerVerifier.Verify(reader, keyDirectory: null);
        Assert.Contains(result.Problems, p => p.Code == VerificationProblemCode.EntryUnreadable && p.Seq == 290);
        Assert.DoesNotContain(result.Problems, p => p.Code == VerificationProblemCode.EntryUnreadable && p.Seq != 290);
    }

    [Fact]
    public void ALedgerWrittenThroughTheFactoryVerifiesAndReadsTheSameAfterReopening()
    {
        var options = _workspace.Options() with { StoreFactory = Stores };
        List<LedgerEntry> written;
        using (var ledger = WorkspaceLedger.Open(options))
        {
            for (var i = 0; i < 300; i++)
            {
                ledger.Append(EntryKind.ExternalChangeObserved, "runtime", new OpenThymos.Core.Ledger.Payloads.ExternalChangeObservedPayload($"f{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload);
            }

            written = [.. ledger.Read()];
            Assert.True(LedgerVerifier.Verify(ledger.Store, _workspace.KeyDirectory).IsValid);
        }

        Assert.True(LedgerVerifier.VerifyAt(Stores, Location, _workspace.KeyDirectory).IsValid);
        using var reopened = WorkspaceLedger.Open(options);
        Assert.Equal(written.Select(Key), reopened.Read().Select(Key));
    }

    /// <summary>A hash-chained run of entries from the genesis seq, each of a different size.</summary>
    protected static List<LedgerEntry> Chain(int count)
    {
        var entries = new List<LedgerEntry>(count);
        var parent = ContentHash.Zero;
        for (var seq = 1; seq <= count; seq++)
        {
            var payload = System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{seq},\"pad\":\"{new string('x', seq % 97)}\"}}");
            var entry = LedgerEntry.Create(seq, seq == 1 ? EntryKind.Genesis : EntryKind.ExternalChangeObserved, parent, 1_700_000_000_000 + seq, "runtime", payload);
            entries.Add(entry);
            parent = entry.Hash;
        }

        return entries;
    }

    /// <summary>Every field of an entry, the payload's bytes included (a record compares its byte array by reference).</summary>
    private static string Key(LedgerEntry? entry) =>
        entry is null ? "none" : $"{entry.Seq}|{entry.Kind}|{entry.Parent}|{entry.TimeUnixMilliseconds}|{entry.Actor}|{Convert.ToHexString(entry.Payload)}|{entry.Hash}";

    private static void AssertHolds(ILedgerStore store, List<LedgerEntry> entries)
    {
        Assert.Equal(entries.Count, store.Count());
        Assert.Equal(entries[^1].Seq, store.MaxSeq());
        Assert.Equal(Key(entries[^1]), Key(store.ReadLast()));
        Assert.Equal(entries.Select(Key), store.ReadRange(1, long.MaxValue).Select(Key));
        foreach (var entry in entries.Where((_, index) => index % 17 == 0 || index == entries.Count - 1))
        {
            Assert.Equal(Key(entry), Key(store.Read(entry.Seq)));
        }
    }
}
