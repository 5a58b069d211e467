// The CLI's wait for a decision without a sidecar wakes on the ledger file's changes, and still wakes when the system
// cannot watch files (inotify limits reached) instead of failing the wait.
using OpenThymos.Cli.Transport;
using Xunit;

namespace OpenThymos.Cli.Tests.Transport;

public sealed class LedgerChangeSignalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AWriteToTheLedgerFileWakesTheWaiter()
    {
        using var workspace = new TempWorkspace();
        var ledger = Path.Combine(workspace.Root, "ledger.db");
        await File.WriteAllTextAsync(ledger, "");
        var woke = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (LedgerChangeSignal.Subscribe(ledger, () => woke.TrySetResult()))
        {
            await File.AppendAllTextAsync(ledger, "an entry");
            await woke.Task.WaitAsync(Timeout);
        }

        Assert.True(woke.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WhenTheSystemCannotWatchFilesTheWaiterIsWokenPeriodicallyInstead()
    {
        using var workspace = new TempWorkspace();
        var ledger = Path.Combine(workspace.Root, "ledger.db");
        var wakes = 0;
        var twice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (LedgerChangeSignal.Subscribe(ledger, () =>
        {
            if (Interlocked.Increment(ref wakes) >= 2)
            {
                twice.TrySetResult();
            }
        }, _ => throw new IOException("The configured user limit (128) on the number of inotify instances has been reached.")))
        {
            await twice.Task.WaitAsync(Timeout);
        }

        Assert.True(Volatile.Read(ref wakes) >= 2);
    }
}
