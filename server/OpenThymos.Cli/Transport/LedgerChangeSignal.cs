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
    /// <summary>Calls <paramref name="changed"/> on every change until the returned object is disposed.</summary>
    public static IDisposable Subscribe(string ledgerPath, Action changed)
    {
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(Path.GetFullPath(ledgerPath))!, Path.GetFileNameWithoutExtension(ledgerPath) + "*")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += (_, _) => changed();
        watcher.Created += (_, _) => changed();
        watcher.Renamed += (_, _) => changed();
        watcher.Deleted += (_, _) => changed();
        watcher.Error += (_, _) => changed();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
