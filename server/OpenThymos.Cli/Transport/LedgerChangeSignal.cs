// Tells a CLI that holds no runtime that the ledger changed on disk, so it can wait for a decision without polling.
namespace OpenThymos.Cli.Transport;

/// <summary>
/// Watches the ledger's folder for writes to the ledger file (and the files its store keeps beside it, which share its
/// name): another process appending entries (a sidecar, or another <c>thymos</c> deciding) is the only way a proposal
/// changes while the CLI holds no runtime. A lost notification (the watcher's buffer overflowed) is reported as a
/// change, so the waiter reads again rather than sleeping through a decision.
/// </summary>
internal static class LedgerChangeSignal
{
    /// <summary>How often the fallback wakes the waiter when the system cannot watch files.</summary>
    internal static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calls <paramref name="changed"/> on every change until the returned object is disposed. When the system cannot
    /// watch (inotify's per-user instance or watch limits reached), it wakes the waiter every
    /// <see cref="FallbackInterval"/> instead: a wait reads again once a second rather than failing.
    /// </summary>
    public static IDisposable Subscribe(string ledgerPath, Action changed) => Subscribe(ledgerPath, changed, Watch);

    /// <summary>As <see cref="Subscribe(string, Action)"/>, with the watcher made by <paramref name="watch"/> (tests make it fail).</summary>
    internal static IDisposable Subscribe(string ledgerPath, Action changed, Func<string, FileSystemWatcher> watch)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = watch(ledgerPath);
            watcher.Changed += (_, _) => changed();
            watcher.Created += (_, _) => changed();
            watcher.Renamed += (_, _) => changed();
            watcher.Deleted += (_, _) => changed();
            watcher.Error += (_, _) => changed();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (IOException)
        {
            watcher?.Dispose();
            return new Timer(_ => changed(), null, FallbackInterval, FallbackInterval);
        }
    }

    private static FileSystemWatcher Watch(string ledgerPath) =>
        new(Path.GetDirectoryName(Path.GetFullPath(ledgerPath))!, Path.GetFileNameWithoutExtension(ledgerPath) + "*")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
}
