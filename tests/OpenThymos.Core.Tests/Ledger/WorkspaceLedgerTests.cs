// Appending, reading, durability and blobs of the LiteDB-backed workspace ledger.
using System.Text;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Storage.LiteDb;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class WorkspaceLedgerTests
{
    private static ExternalChangeObservedPayload Observation(int i) => new($"src/file{i}.txt", null, null, null);

    [Fact]
    public void ANewLedgerStartsWithAGenesisNamingTheWorkspaceAndFormat()
    {
        using var workspace = new TempWorkspace();
        using var ledger = WorkspaceLedger.Open(workspace.Options());

        var genesis = ledger.Read(1)!;
        Assert.Equal(EntryKind.Genesis, genesis.Kind);
        Assert.Equal(ContentHash.Zero, genesis.Parent);
        Assert.Contains($"\"workspaceId\":\"{ledger.WorkspaceId}\"", genesis.PayloadText);
        Assert.Contains("\"formatVersion\":1", genesis.PayloadText);
        Assert.True(File.Exists(workspace.LedgerPath));
    }

    [Fact]
    public void AppendedEntriesAreChainedAndSurviveReopening()
    {
        using var workspace = new TempWorkspace();
        string workspaceId;
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            workspaceId = ledger.WorkspaceId;
            for (var i = 0; i < 5; i++)
            {
                ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);
            }
        }

        using var reopened = WorkspaceLedger.Open(workspace.Options());
        var entries = reopened.Read().ToList();
        Assert.Equal(workspaceId, reopened.WorkspaceId);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), entries.Select(e => e.Seq));
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].Parent);
            Assert.Equal(entries[i].ComputeHash(), entries[i].Hash);
        }
    }

    [Fact]
    public void EveryAcknowledgedAppendIsPrecededByExactlyOneLogFsync()
    {
        using var workspace = new TempWorkspace();
        var meter = new LiteDbStoreMeter();
        using var ledger = WorkspaceLedger.Open(workspace.Options() with { StoreFactory = LiteDbLedgerStoreFactory.Metered(meter) });
        const int Appends = 200;
        var violations = 0;
        var before = meter.LogFsyncCount;
        for (var i = 0; i < Appends; i++)
        {
            var fsyncsBeforeThisAppend = meter.LogFsyncCount;
            ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);

            // Returning from Append is the acknowledgement: its fsync must already have happened.
            if (meter.LogFsyncCount != fsyncsBeforeThisAppend + 1)
            {
                violations++;
            }
        }

        Assert.Equal(0, violations);
        Assert.Equal(Appends, meter.LogFsyncCount - before);
    }

    [Fact]
    public void ConcurrentAppendersGetContiguousSeqsAndEveryAckIsDurable()
    {
        using var workspace = new TempWorkspace();
        var meter = new LiteDbStoreMeter();
        using var ledger = WorkspaceLedger.Open(workspace.Options() with { StoreFactory = LiteDbLedgerStoreFactory.Metered(meter) });
        var fsyncsBefore = meter.LogFsyncCount;
        var transactionsBefore = ledger.GroupCommitCount;
        var acknowledgedBeforeDurable = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var entry = ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);

            // Returning is the acknowledgement: the store must already have fsynced a transaction holding this seq.
            if (meter.DurableSeq < entry.Seq)
            {
                Interlocked.Increment(ref acknowledgedBeforeDurable);
            }
        });

        var entries = ledger.Read().ToList();
        Assert.Equal(0, acknowledgedBeforeDurable);
        Assert.Equal(65, entries.Count);
        Assert.Equal(Enumerable.Range(1, 65).Select(i => (long)i), entries.Select(e => e.Seq));
        var transactions = ledger.GroupCommitCount - transactionsBefore;
        Assert.InRange(transactions, 1, 64);
        Assert.Equal(transactions, meter.LogFsyncCount - fsyncsBefore);
    }

    [Fact]
    public void BlobsAreContentAddressedAndStoredOnce()
    {
        using var workspace = new TempWorkspace();
        using var ledger = WorkspaceLedger.Open(workspace.Options());
        var content = Encoding.UTF8.GetBytes("same bytes\n");
        var blob = BlobWrite.Of(content);
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(1), LedgerJsonContext.Default.ExternalChangeObservedPayload, [blob]);
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(2), LedgerJsonContext.Default.ExternalChangeObservedPayload, [blob]);

        Assert.Equal(content, ledger.ReadBlob(ContentHash.Of(content)));
        Assert.Single(ledger.Store.ListBlobs());
    }

    [Fact]
    public void AFiftyMegabyteBlobRoundTripsExactly()
    {
        using var workspace = new TempWorkspace();
        using var ledger = WorkspaceLedger.Open(workspace.Options());
        var content = new byte[50 * 1024 * 1024 + 17];
        new Random(7).NextBytes(content); // fixed on purpose: any bytes do (the test is about size), and the same bytes every run
        var hash = ContentHash.Of(content);
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(1), LedgerJsonContext.Default.ExternalChangeObservedPayload, [new BlobWrite(hash, content)]);
        ledger.Dispose();

        using var reopened = WorkspaceLedger.Open(workspace.Options());
        var read = reopened.ReadBlob(hash)!;
        Assert.Equal(content.Length, read.Length);
        Assert.Equal(hash, ContentHash.Of(read));
    }

    [Fact]
    public void ASecondWriterInTheSameProcessIsRefusedWithTheHolderNamed()
    {
        using var workspace = new TempWorkspace();
        using var ledger = WorkspaceLedger.Open(workspace.Options());
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(1), LedgerJsonContext.Default.ExternalChangeObservedPayload);

        var error = Assert.Throws<LedgerLockedException>(() => WorkspaceLedger.Open(workspace.Options()));
        Assert.Contains($"process {Environment.ProcessId}", error.Message);
        Assert.Contains("test", error.Message);

        // The refused open damaged nothing: the holder keeps appending and the chain stays whole.
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(2), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        Assert.Equal(3, ledger.Read().Count());
    }

    [Fact]
    public void AReaderCanReadWhileTheWriterHoldsTheLedger()
    {
        using var workspace = new TempWorkspace();
        using var ledger = WorkspaceLedger.Open(workspace.Options());
        for (var i = 0; i < 10; i++)
        {
            ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(i), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        }

        using (var reader = LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath))
        {
            Assert.Equal(11, reader.ReadRange(1, long.MaxValue).Count());
            Assert.Equal(ledger.Head.Hash, reader.ReadLast()!.Hash);
        }

        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(99), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        Assert.Equal(12, ledger.Read().Count());
    }

    [Fact]
    public void ASecondWriterProcessIsRefusedWithTheHoldingProcessNamedAndNothingIsDamaged()
    {
        using var workspace = new TempWorkspace();
        using (var ledger = WorkspaceLedger.Open(workspace.Options()))
        {
            ledger.Append(EntryKind.ExternalChangeObserved, "runtime", Observation(1), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        }

        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "OpenThymos.CrashHarness.dll"), "hold", workspace.Workspace, workspace.KeyDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = System.Diagnostics.Process.Start(start)!;
        try
        {
            Assert.Equal("holding", holder.StandardOutput.ReadLine());

            var error = Assert.Throws<LedgerLockedException>(() => WorkspaceLedger.Open(workspace.Options()));

            Assert.Contains($"process {holder.Id}", error.Message);
            Assert.Contains("lock-holder test process", error.Message);
            Assert.Contains("stop it", error.Message);
        }
        finally
        {
            holder.StandardInput.Close();
            Assert.True(holder.WaitForExit(30_000));
        }

        using var reopened = WorkspaceLedger.Open(workspace.Options());
        Assert.True(OpenThymos.Core.Replay.LedgerVerifier.Verify(reopened.Store, workspace.KeyDirectory).IsValid);
        Assert.Equal(2, reopened.Head.Seq);
    }
}
