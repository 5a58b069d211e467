// Group commit: appends queued while a batch is being written share the next transaction and fsync,
// nobody is acknowledged before their own fsync, and a failed transaction stops the ledger until it is reopened.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppendsQueuedDuringAnFsyncShareOneTransactionAndAreAcknowledgedOnlyAfterIt()
    {
        using var workspace = new TempWorkspace();
        var meter = new LiteDbStoreMeter();
        var gated = new GatedStore(LiteDbLedgerStore.OpenForWriting(workspace.LedgerPath, "group commit test", meter));
        using var ledger = WorkspaceLedger.Open(gated, workspace.Options());
        gated.HoldNextAppend();

        var first = Task.Run(() => Append(ledger, 0));
        Assert.True(gated.WaitUntilHeld(Patience), "the first append never reached the store");
        var queued = Enumerable.Range(1, 10).Select(i => Task.Run(() => Append(ledger, i))).ToArray();
        WaitFor(() => ledger.QueuedRequestCount == 10);
        Assert.All(queued, task => Assert.False(task.IsCompleted, "an append was acknowledged while the batch before it was still being written"));

        gated.Release();
        await first.WaitAsync(Patience);
        var acknowledged = await Task.WhenAll(queued).WaitAsync(Patience);

        Assert.Equal(new[] { 1, 10 }, gated.EntriesPerAppend.Skip(1));
        var entries = ledger.Read().ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), entries.Select(e => e.Seq));
        Assert.All(acknowledged, entry => Assert.True(entry.Seq <= meter.DurableSeq));
        Assert.True(LedgerVerifier.Verify(ledger.Store, workspace.KeyDirectory).IsValid);
    }

    /// <summary>
    /// Entries are chained when they are staged, so the appends queued behind a failed transaction are
    /// chained to entries that never reached the store, and a store whose transaction (or fsync) failed is
    /// in an unknown state: the whole batch fails, nothing of it is acknowledged, the ledger refuses
    /// further appends, and reopening it recovers from what is on disk.
    /// </summary>
    [Fact]
    public async Task AFailedTransactionFailsItsWholeBatchAndStopsTheLedgerUntilReopened()
    {
        using var workspace = new TempWorkspace();
        var gated = new GatedStore(LiteDbLedgerStore.OpenForWriting(workspace.LedgerPath, "group commit test"));
        var ledger = WorkspaceLedger.Open(gated, workspace.Options());
        gated.HoldNextAppend();

        var first = Task.Run(() => Append(ledger, 0));
        Assert.True(gated.WaitUntilHeld(Patience), "the first append never reached the store");
        var sameBatch = Enumerable.Range(1, 4).Select(i => Task.Run(() => Append(ledger, i))).ToList();
        WaitFor(() => ledger.QueuedRequestCount == 4);
        var poisoned = Task.Run(() => ledger.Append(EntryKind.ExternalChangeObserved, GatedStore.PoisonActor, Observation(99), LedgerJsonContext.Default.ExternalChangeObservedPayload));
        WaitFor(() => ledger.QueuedRequestCount == 5);

        gated.Release();
        await first.WaitAsync(Patience);
        await Assert.ThrowsAsync<IOException>(() => poisoned.WaitAsync(Patience));
        foreach (var task in sameBatch)
        {
            await Assert.ThrowsAsync<IOException>(() => task.WaitAsync(Patience));
        }

        var refused = Assert.Throws<IOException>(() => Append(ledger, 5));
        Assert.Contains("refused further appends", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new long[] { 1, 2 }, ledger.Read().Select(e => e.Seq));
        ledger.Dispose();

        using var reopened = WorkspaceLedger.Open(workspace.Options());
        Assert.Equal(2, reopened.Head.Seq);
        Assert.Equal(3, Append(reopened, 6).Seq);
        Assert.True(LedgerVerifier.Verify(reopened.Store, workspace.KeyDirectory).IsValid);
    }

    private static ExternalChangeObservedPayload Observation(int i) => new($"src/file{i}.txt", null, null, null);

    private static LedgerEntry Append(WorkspaceLedger ledger, int i) =>
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the appends did not queue up behind the held batch");
            Thread.Sleep(5);
        }
    }

    /// <summary>A real LiteDB store that can hold one append open and refuses transactions holding a poisoned entry.</summary>
    private sealed class GatedStore(ILedgerStore inner) : ILedgerStore
    {
        public const string PoisonActor = "runtime:poison";

        private readonly ManualResetEventSlim _held = new();
        private readonly ManualResetEventSlim _released = new(initialState: true);
        private volatile bool _holdNext;

        public ILedgerStore Inner => inner;

        public List<int> EntriesPerAppend { get; } = [];

        public string Location => inner.Location;

        public void HoldNextAppend()
        {
            _released.Reset();
            _holdNext = true;
        }

        public bool WaitUntilHeld(TimeSpan timeout) => _held.Wait(timeout);

        public void Release() => _released.Set();

        public void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs)
        {
            if (_holdNext)
            {
                _holdNext = false;
                _held.Set();
                _released.Wait();
            }

            if (entries.Any(e => e.Actor == PoisonActor))
            {
                throw new IOException("The test store refuses this transaction.");
            }

            inner.Append(entries, blobs);
            lock (EntriesPerAppend)
            {
                EntriesPerAppend.Add(entries.Count);
            }
        }

        public LedgerEntry? ReadLast() => inner.ReadLast();

        public LedgerEntry? Read(long seq) => inner.Read(seq);

        public IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq) => inner.ReadRange(fromSeq, toSeq);

        public long MaxSeq() => inner.MaxSeq();

        public long Count() => inner.Count();

        public bool ContainsBlob(ContentHash hash) => inner.ContainsBlob(hash);

        public byte[]? ReadBlob(ContentHash hash) => inner.ReadBlob(hash);

        public IEnumerable<ContentHash> ListBlobs() => inner.ListBlobs();

        public void Dispose()
        {
            inner.Dispose();
            _held.Dispose();
            _released.Dispose();
        }
    }
}
