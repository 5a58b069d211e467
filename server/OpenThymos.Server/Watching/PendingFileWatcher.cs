// Notices when someone (the user's editor, a tool, another agent) changes a file under a pending proposal.
using System.Collections.Concurrent;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Diagnostics;

namespace OpenThymos.Server.Watching;

/// <summary>
/// Watches the folders that hold files of pending proposals and, shortly after one of those files
/// changes on disk, asks the runtime to check the proposals against the disk, so a proposal whose
/// file was edited is rebased or shown stale at once rather than only when someone tries to approve
/// it. The sidecar watches (not the editor) because agents and tools change files without VS Code.
/// The watch set follows the pending proposals; the approval-time check stays the guarantee, this
/// only makes the state visible early.
/// </summary>
public sealed class PendingFileWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private readonly ThymosRuntime _runtime;
    private readonly SidecarLog _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private readonly Timer _observeTimer;
    private readonly Timer _refreshTimer;
    private HashSet<string> _watchedPaths = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Starts watching the files of the runtime's pending proposals and checks them once against the disk.</summary>
    public PendingFileWatcher(ThymosRuntime runtime, SidecarLog log)
    {
        _runtime = runtime;
        _log = log;
        _observeTimer = new Timer(_ => Observe(), null, Timeout.Infinite, Timeout.Infinite);
        _refreshTimer = new Timer(_ => Refresh(), null, Timeout.Infinite, Timeout.Infinite);
        _runtime.ProposalChanged += OnProposalChanged;

        // Files may have changed while no sidecar was running.
        Refresh();
        ObserveAll();
    }

    /// <summary>The workspace paths currently watched (for tests and the log).</summary>
    public IReadOnlyCollection<string> WatchedPaths
    {
        get
        {
            lock (_gate)
            {
                return [.. _watchedPaths];
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _runtime.ProposalChanged -= OnProposalChanged;
            foreach (var watcher in _watchers.Values)
            {
                watcher.Dispose();
            }
            _watchers.Clear();
        }
        _observeTimer.Dispose();
        _refreshTimer.Dispose();
    }

    private bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    private void OnProposalChanged(string proposalId)
    {
        // Raised inside the runtime's lock: recompute the watch set later, on a timer thread.
        lock (_gate)
        {
            if (!_disposed)
            {
                _refreshTimer.Change(TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Refresh()
    {
        HashSet<string> paths;
        try
        {
            paths = new HashSet<string>(
                _runtime.ListProposals()
                    .Where(p => p.IsPending)
                    .SelectMany(p => p.Files.Values)
                    .Where(f => f.Hunks.Values.Any(s => s == HunkStatus.Pending))
                    .SelectMany(f => f.Record.FromPath is null ? [f.Record.Path] : new[] { f.Record.Path, f.Record.FromPath }),
                StringComparer.Ordinal);
        }
        catch (Exception exception)
        {
            // A timer thread: log and keep the previous watch set rather than end the process.
            if (!IsDisposed && exception is not ObjectDisposedException)
            {
                _log.Error("could not list the pending proposals to watch their files.", exception);
            }
            return;
        }

        List<string> added;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            added = [.. paths.Where(p => !_watchedPaths.Contains(p))];
            _watchedPaths = paths;
            var directories = paths.Select(p => Path.GetDirectoryName(Path.Combine(_runtime.WorkspaceRoot, p))!).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _watchers.Keys.Where(d => !directories.Contains(d)).ToList())
            {
                _watchers[gone].Dispose();
                _watchers.Remove(gone);
            }
            foreach (var directory in directories.Where(d => !_watchers.ContainsKey(d) && Directory.Exists(d)))
            {
                try
                {
                    var watcher = new FileSystemWatcher(directory)
                    {
                        IncludeSubdirectories = false,
                        NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    };
                    watcher.Changed += OnFileEvent;
                    watcher.Created += OnFileEvent;
                    watcher.Deleted += OnFileEvent;
                    watcher.Renamed += OnRenamed;
                    watcher.Error += (_, e) => _log.Info($"file watcher on '{directory}' failed ({e.GetException().Message}); stale proposals are found when approved.");
                    watcher.EnableRaisingEvents = true;
                    _watchers[directory] = watcher;
                }
                catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException)
                {
                    _log.Info($"cannot watch '{directory}' ({exception.Message}); stale proposals there are found when approved.");
                }
            }
        }

        // A file may have changed between its proposal's staging and the watch starting.
        if (added.Count > 0)
        {
            Check(added);
        }
    }

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        Note(e.OldFullPath);
        Note(e.FullPath);
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => Note(e.FullPath);

    private void Note(string fullPath)
    {
        var relative = Path.GetRelativePath(_runtime.WorkspaceRoot, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        lock (_gate)
        {
            if (_disposed || !_watchedPaths.Contains(relative))
            {
                return;
            }
            _changed[relative] = 0;
            _observeTimer.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void Observe()
    {
        var paths = _changed.Keys.ToList();
        foreach (var path in paths)
        {
            _changed.TryRemove(path, out _);
        }
        if (paths.Count > 0)
        {
            Check(paths);
        }
    }

    private void ObserveAll() => Check(null);

    private void Check(IReadOnlyCollection<string>? paths)
    {
        try
        {
            foreach (var result in _runtime.ObserveChangedFiles(paths))
            {
                _log.Info($"proposal {result.ProposalId}: {(result.Outcome == DecisionOutcome.Stale ? "stale" : "rebased to revision " + result.Revision)} after its files changed on disk. {result.Error?.Message}");
            }
        }
        catch (ObjectDisposedException)
        {
            // The sidecar is shutting down.
        }
        catch (Exception exception)
        {
            // This runs on a timer thread, where an exception would end the process; the approval-time check still guards every write.
            if (!IsDisposed)
            {
                _log.Error("checking pending proposals against the disk failed; they are checked again when approved.", exception);
            }
        }
    }
}
