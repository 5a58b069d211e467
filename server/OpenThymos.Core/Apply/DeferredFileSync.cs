// Makes published files durable in background batches and then advances the applied-through mark.
using System.Globalization;
using OpenThymos.Core.FileSystem;

namespace OpenThymos.Core.Apply;

/// <summary>
/// The background half of the redo-log write protocol. After a commit is durable in the ledger and its
/// files are renamed into place (no fsync on the approval's path), the runtime hands the commit's seq
/// and the files and directories it touched to this class. One pool worker takes everything queued so
/// far (after a short gathering delay), fsyncs the files and then their directories, and only then writes the applied-through mark
/// (<c>.thymos/applied-through</c>): "every commit up to this seq has its files on stable storage". The
/// mark is written durably (temp file, fsync, rename, directory fsync), never ahead of the files it
/// vouches for, and only ever moves forward. Recovery at open re-checks every commit after the mark.
/// Once <see cref="Halt"/> is called (an apply stopped part-way), the mark stays where it is, so that
/// the next open re-checks that commit.
/// </summary>
public sealed class DeferredFileSync : IDisposable
{
    /// <summary>The mark's file name inside <c>.thymos</c>.</summary>
    public const string MarkFileName = "applied-through";

    /// <summary>
    /// How long the worker gathers commits before syncing them. Each batch costs a file fsync per file, a
    /// directory fsync per folder and two for the mark; syncing every approval at once would make those
    /// compete with the next approval's ledger fsync for the file system journal. The window only widens
    /// what recovery may have to redo after a power loss; it never delays an acknowledgement.
    /// </summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(25);

    private readonly AtomicApplier _applier;
    private readonly object _gate = new();
    private readonly Timer _timer;
    private readonly List<string> _files = [];
    private readonly List<string> _directories = [];
    private long _queuedThrough;
    private long _markedThrough;
    private bool _working;
    private bool _scheduled;
    private bool _halted;

    /// <summary>Creates the syncer for a workspace's applier; the mark lives in its <c>.thymos</c> folder, written and read through the applier's root handle.</summary>
    public DeferredFileSync(AtomicApplier applier)
    {
        _applier = applier;
        _timer = new Timer(_ => OnGathered(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Test hook: when set, the worker does nothing (the mark stays behind), as if the process died first.</summary>
    internal bool Paused { get; set; }

    // The mark's path relative to the workspace root, read and written through the root handle.
    private const string MarkPath = WorkspaceDirectory.StateFolder + "/" + MarkFileName;

    /// <summary>The mark on disk: the seq through which every commit's files are durable; null when there is no mark (a workspace written before the mark existed).</summary>
    public long? ReadMark() => ReadMark(_applier.Workspace);

    /// <summary>The mark of a workspace read without a syncer (read-only drift), through its root handle; null when there is none.</summary>
    public static long? ReadMark(WorkspaceDirectory workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        byte[]? bytes;
        try
        {
            bytes = workspace.ReadFile(MarkPath);
        }
        catch (Exception exception) when (exception is WorkspacePathException or WorkspaceFileTooLargeException)
        {
            throw new InvalidDataException($"The applied-through mark '{workspace.FullPath(MarkPath)}' cannot be read: {exception.Message} Delete it and restart OpenThymos; recovery then trusts the files as they are.");
        }

        if (bytes is null)
        {
            return null;
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : throw new InvalidDataException($"The applied-through mark '{workspace.FullPath(MarkPath)}' holds '{text}', not a seq. Delete it and restart OpenThymos; recovery then trusts the files as they are.");
    }

    /// <summary>Writes the mark durably now (recovery calls it once every commit up to <paramref name="seq"/> is durable on disk).</summary>
    public void WriteMark(long seq)
    {
        _applier.Workspace.WriteDurably(MarkPath, System.Text.Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture) + "\n"));
        lock (_gate)
        {
            _markedThrough = Math.Max(_markedThrough, seq);
            _queuedThrough = Math.Max(_queuedThrough, seq);
        }
    }

    /// <summary>Queues the workspace-relative files and folders of commit <paramref name="seq"/> (already renamed into place) for a background fsync. Seqs must come in ascending order.</summary>
    public void Enqueue(long seq, IReadOnlyList<string> files, IReadOnlyList<string> directories)
    {
        lock (_gate)
        {
            if (_halted)
            {
                return;
            }

            _files.AddRange(files);
            _directories.AddRange(directories);
            _queuedThrough = Math.Max(_queuedThrough, seq);
            if (_working || _scheduled || Paused)
            {
                return;
            }

            _scheduled = true;
            _timer.Change(GatherDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops advancing the mark for the rest of this process: a commit's files may not all be in place.</summary>
    public void Halt()
    {
        lock (_gate)
        {
            _halted = true;
        }
    }

    /// <summary>Returns once everything queued so far is durable and marked (unless halted or paused).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            while (_working)
            {
                Monitor.Wait(_gate);
            }

            if (_halted || Paused || _queuedThrough <= _markedThrough)
            {
                return;
            }

            _working = true;
        }

        SyncUntilCurrent();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _timer.Dispose();
    }

    private void OnGathered()
    {
        lock (_gate)
        {
            _scheduled = false;
            if (_working)
            {
                return;
            }

            _working = true;
        }

        SyncUntilCurrent();
    }

    private void SyncUntilCurrent()
    {
        while (true)
        {
            string[] files;
            string[] directories;
            long through;
            lock (_gate)
            {
                if (_halted || _queuedThrough <= _markedThrough)
                {
                    _working = false;
                    Monitor.PulseAll(_gate);
                    return;
                }

                files = [.. _files.Distinct(StringComparer.Ordinal)];
                directories = [.. _directories.Distinct(StringComparer.Ordinal)];
                through = _queuedThrough;
                _files.Clear();
                _directories.Clear();
            }

            try
            {
                _applier.SyncFiles(files, directories);
                lock (_gate)
                {
                    if (_halted)
                    {
                        continue;
                    }
                }

                WriteMark(through);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The mark stays behind, so the next open re-checks these commits and redoes them from the ledger.
                Console.Error.WriteLine($"OpenThymos: could not make applied files durable ({exception.Message}); the next start re-checks them against the ledger.");
                Halt();
            }
        }
    }
}
