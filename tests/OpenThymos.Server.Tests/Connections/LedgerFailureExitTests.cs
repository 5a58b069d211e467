// A ledger that cannot go on stops the sidecar with a reason and a distinct exit code (so the editor restarts it);
// a write the store rolled back does not.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Diagnostics;
using Xunit;

namespace OpenThymos.Server.Tests.Connections;

public sealed class LedgerFailureExitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WhenAWriteLeavesTheStoreInAnUnknownStateTheSidecarExitsWithCode4AndSaysWhyOnStderr()
    {
        var stderr = new StringWriter();
        using var harness = new SidecarHarness(new SidecarSettings { SocketPath = "", WatchPendingFiles = false }, new SidecarLog(TextWriter.Synchronized(stderr), LogLevel.Info));
        var (runtime, sidecar) = (harness.Runtime, harness.Sidecar);
        ((LiteDbLedgerStore)runtime.Ledger.Store).AfterCommit = () => throw new IOException("injected: fsync failed");

        Assert.ThrowsAny<IOException>(() => runtime.IssueWrit(new WritRequest("agent", "s1", ["**"], null, Effects.All, null, TimeSpan.FromHours(1)), "human:tester"));

        Assert.Equal(Sidecar.LedgerFailedExitCode, await sidecar.ExitRequested.WaitAsync(Timeout));
        Assert.Equal(4, Sidecar.LedgerFailedExitCode);
        var logged = stderr.ToString();
        Assert.Contains("cannot take more entries", logged, StringComparison.Ordinal);
        Assert.Contains("injected: fsync failed", logged, StringComparison.Ordinal);
        Assert.Contains("Exiting with code 4", logged, StringComparison.Ordinal);
        ((LiteDbLedgerStore)runtime.Ledger.Store).AfterCommit = null;
    }

    [Fact]
    public void ATransactionTheStoreRolledBackLeavesTheSidecarServingAndTheLedgerWritable()
    {
        using var harness = new SidecarHarness(new SidecarSettings { SocketPath = "", WatchPendingFiles = false });
        var (runtime, sidecar) = (harness.Runtime, harness.Sidecar);
        var store = (LiteDbLedgerStore)runtime.Ledger.Store;
        store.BeforeCommit = _ => throw new IOException("injected: document refused");
        Assert.Throws<LedgerWriteRolledBackException>(() => runtime.IssueWrit(new WritRequest("agent", "s1", ["**"], null, Effects.All, null, TimeSpan.FromHours(1)), "human:tester"));
        store.BeforeCommit = null;

        var (issued, error) = runtime.IssueWrit(new WritRequest("agent", "s2", ["**"], null, Effects.All, null, TimeSpan.FromHours(1)), "human:tester");

        Assert.Null(error);
        Assert.Single(runtime.ListWrits(), w => w.Id == issued!.Writ.Id);
        Assert.False(sidecar.ExitRequested.IsCompleted);
    }
}
