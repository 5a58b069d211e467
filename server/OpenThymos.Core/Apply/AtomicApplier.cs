// Writes approved file states so that a crash at any instant leaves each file whole: before or after.
using OpenThymos.Core.FileSystem;

namespace OpenThymos.Core.Apply;

/// <summary>
/// Applies a set of file writes with the classic sequence: write each new version to a temp file in
/// <c>.thymos/staging</c>, fsync it, give it the file's mode, rename it over the target (atomic on
/// POSIX), then fsync every directory touched. Deletions unlink and fsync the directory. A rename
/// either happened or did not, so every file is at its before or its after state at every instant;
/// crash recovery finishes or rolls back the set (see <c>CommitRecovery</c>). Approvals use the
/// faster split <see cref="Stage"/> / <see cref="Publish"/> / <see cref="SyncFiles"/>, which leaves the
/// fsyncs to a background batch because the ledger holds everything needed to redo the writes.
/// Every step goes through <see cref="WorkspaceDirectory"/>: temp files are created in the staging folder's
/// handle and renamed (or unlinked) in the target folder's handle, resolved beneath the workspace root without
/// following a link, so swapping a folder for a link at any instant cannot move a write or a delete elsewhere.
/// </summary>
public sealed class AtomicApplier : IDisposable
{
    private long _generation;

    /// <summary>Per workspace path (files and the folders on their way), the generation after its latest write through this applier.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _writtenAt = new(StringComparer.Ordinal);

    /// <summary>Creates the applier for a workspace, opening a handle on its root.</summary>
    public AtomicApplier(string workspaceRoot)
        : this(new WorkspaceDirectory(workspaceRoot))
    {
    }

    /// <summary>Creates the applier over a workspace directory handle, which it then owns.</summary>
    public AtomicApplier(WorkspaceDirectory workspace)
    {
        Workspace = workspace;
        StagingDirectory = workspace.FullPath(WorkspaceDirectory.StagingPath);
    }

    /// <summary>The handle on the workspace root every file operation goes through.</summary>
    public WorkspaceDirectory Workspace { get; }

    /// <summary>The staging folder for temp files, inside the workspace so renames stay on one file system (for messages).</summary>
    public string StagingDirectory { get; }

    /// <summary>
    /// Counts the applies and publishes that may have changed workspace files, bumped after their renames and
    /// deletions (also when one failed part-way). A caller that read files without the runtime's lock compares it
    /// with the value it read before reading: unchanged means no file was written through this applier since.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// The latest generation in which a file at one of <paramref name="paths"/>, inside one of them (a folder) or on
    /// the way to one of them was written through this applier; 0 when none was. A caller that read those paths
    /// without the runtime's lock compares it with <see cref="Generation"/> read before reading: not greater means
    /// none of them was written since, whatever happened to other files.
    /// </summary>
    public long LastWriteTo(IEnumerable<string> paths)
    {
        long latest = 0;
        foreach (var path in paths)
        {
            foreach (var prefix in SelfAndFolders(path))
            {
                if (_writtenAt.TryGetValue(prefix, out var generation) && generation > latest)
                {
                    latest = generation;
                }
            }
        }

        return latest;
    }

    /// <summary>Records the generation that wrote <paramref name="writes"/> for each path and the folders on its way.</summary>
    private void NoteWritten(IEnumerable<PlannedFileWrite> writes)
    {
        var generation = Interlocked.Increment(ref _generation);
        foreach (var write in writes)
        {
            foreach (var prefix in SelfAndFolders(write.Path))
            {
                _writtenAt[prefix] = generation;
            }
        }
    }

    /// <summary>"a/b/c" → "a/b/c", "a/b", "a".</summary>
    private static IEnumerable<string> SelfAndFolders(string path)
    {
        for (var end = path.Length; end > 0; end = path.LastIndexOf('/', end - 1))
        {
            yield return path[..end];
        }
    }

    /// <summary>Called after each file's rename (the runtime tells its meter, when it has one: tests fail or stop an apply part-way there); null in production.</summary>
    internal Action<string>? AfterEachFile { get; set; }

    /// <summary>Called before each file's rename in <see cref="Publish"/> (the runtime tells its meter, when it has one: tests stop there before any file moved); null in production.</summary>
    internal Action<string>? BeforeEachFile { get; set; }

    /// <summary>Applies the writes in order with every fsync done before returning; throws <see cref="IOException"/> (or access errors) when a step fails.</summary>
    public void Apply(IReadOnlyList<PlannedFileWrite> writes)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var staged = new List<(PlannedFileWrite Write, string? TempPath)>();
        try
        {
            WriteTemporaryFiles(writes, staged, flushToDisk: true, refuseTargets: false);
            folders.Add(WorkspaceDirectory.StagingPath);
            foreach (var (write, temporary) in staged)
            {
                PublishOne(write, temporary, folders);
                AfterEachFile?.Invoke(write.Path);
            }
        }
        finally
        {
            NoteWritten(writes);
            Discard(new StagedApply(staged));
        }

        foreach (var folder in folders)
        {
            Workspace.SyncFolder(folder);
        }
    }

    /// <summary>
    /// First half of the fast apply used by the redo-log write protocol (see <c>CommitExecution.CarryOut</c>):
    /// writes each new version to a temp file in the staging folder WITHOUT an fsync. Nothing in the workspace
    /// changes yet. The caller makes the commit durable, then calls <see cref="Publish"/>; if it does not,
    /// <see cref="Discard"/> removes the temp files. Each target is resolved beneath the root once here (the same
    /// resolution that finds the mode a new version keeps), and one that is or goes through a link, is a folder or
    /// special file, or has other hard links is refused before anything is committed, with the
    /// <see cref="WorkspacePathException"/> that names the component. That is an early answer, not the guarantee:
    /// <see cref="Publish"/> resolves again and refuses a link swapped in after this.
    /// </summary>
    /// <exception cref="WorkspacePathException">A target is refused; no temp file is left.</exception>
    public StagedApply Stage(IReadOnlyList<PlannedFileWrite> writes)
    {
        var staged = new List<(PlannedFileWrite Write, string? TempPath)>();
        try
        {
            WriteTemporaryFiles(writes, staged, flushToDisk: false, refuseTargets: true);
        }
        catch
        {
            Discard(new StagedApply(staged));
            throw;
        }

        return new StagedApply(staged);
    }

    /// <summary>
    /// Second half of the fast apply: renames each temp file over its target in the target folder's handle
    /// (creating missing folders) and unlinks deletions, in order, without fsyncs. Every rename is atomic, so
    /// each file is whole at every instant; durability comes later from <see cref="SyncFiles"/> (or, after a
    /// crash, from recovery redoing the commit from the ledger's blobs). Returns the workspace-relative files
    /// and folders ("" is the root) that a later sync must fsync.
    /// </summary>
    public (IReadOnlyList<string> Files, IReadOnlyList<string> Directories) Publish(StagedApply staged)
    {
        var files = new List<string>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (write, temporary) in staged.Writes)
            {
                BeforeEachFile?.Invoke(write.Path);
                PublishOne(write, temporary, folders);
                if (temporary is not null)
                {
                    files.Add(write.Path);
                }

                AfterEachFile?.Invoke(write.Path);
            }
        }
        finally
        {
            NoteWritten(staged.Writes.Select(w => w.Write));
            Discard(staged);
        }

        return (files, [.. folders]);
    }

    /// <summary>Removes the temp files of a staged apply that was not (or not fully) published.</summary>
    public void Discard(StagedApply staged)
    {
        foreach (var (_, temporary) in staged.Writes)
        {
            if (temporary is not null)
            {
                Workspace.RemoveTemporary(temporary);
            }
        }
    }

    /// <summary>
    /// fsyncs workspace-relative files (their data) and then folders (their renames and unlinks), each opened
    /// beneath the root without following links; missing ones are skipped (a later commit deleted them).
    /// </summary>
    public void SyncFiles(IEnumerable<string> files, IEnumerable<string> directories)
    {
        foreach (var file in files)
        {
            Workspace.SyncFile(file);
        }

        foreach (var directory in directories)
        {
            Workspace.SyncFolder(directory);
        }
    }

    /// <summary>Removes temp files left by an apply that was interrupted.</summary>
    public void CleanStaging() => Workspace.CleanStaging();

    /// <summary>
    /// What the path holds on disk: <see cref="DiskState.Missing"/>, a regular file with its content hash, or
    /// <see cref="DiskState.NotARegularFile"/> when a link or another kind of file is there (never read through).
    /// Compare it with a ledger state by <see cref="DiskState.Is"/>.
    /// </summary>
    public DiskState StateOnDisk(string path)
    {
        var (kind, hash) = Workspace.HashFile(path, WorkspaceDirectory.MaxFileBytes, out var tooLarge);
        return kind switch
        {
            WorkspaceEntryKind.RegularFile when tooLarge => DiskState.TooLarge,
            WorkspaceEntryKind.RegularFile => DiskState.RegularFile(hash!.Value.ToString()),
            WorkspaceEntryKind.Missing => DiskState.Missing,
            _ => DiskState.NotARegularFile,
        };
    }

    /// <summary>
    /// The file's bytes, or null when it does not exist or is not a regular file (a link is never read through).
    /// Throws <see cref="WorkspaceFileTooLargeException"/> for a file over the size limit: it is there, so never null.
    /// </summary>
    public byte[]? ReadOnDisk(string path)
    {
        try
        {
            return Workspace.ReadFile(path);
        }
        catch (WorkspacePathException)
        {
            return null;
        }
    }

    /// <summary>The file's Unix mode, or null when it does not exist, is not a regular file, or on Windows.</summary>
    public UnixFileMode? ModeOnDisk(string path) => Workspace.ModeOf(path);

    /// <summary>The content hash of a file whatever its size (streamed; for recording what an agent left there, outside the runtime's lock), or null when it is not a regular file.</summary>
    public string? HashOnDiskWithoutLimit(string path)
    {
        var (kind, hash) = Workspace.HashFile(path, null, out _);
        return kind == WorkspaceEntryKind.RegularFile ? hash?.ToString() : null;
    }

    /// <summary>The full path of a workspace-relative path, for messages only.</summary>
    public string FullPathOf(string relative) => Workspace.FullPath(relative);

    /// <inheritdoc />
    public void Dispose() => Workspace.Dispose();

    private static UnixFileMode DefaultMode =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes each new version to its own temp file in the staging folder (deletions get none), recording
    /// each temp file as soon as it exists so the caller's cleanup also removes a half-written one. With
    /// <paramref name="refuseTargets"/>, a target that <see cref="WorkspaceDirectory.Inspect"/> refuses throws its refusal.
    /// </summary>
    private void WriteTemporaryFiles(IReadOnlyList<PlannedFileWrite> writes, List<(PlannedFileWrite Write, string? TempPath)> staged, bool flushToDisk, bool refuseTargets)
    {
        foreach (var write in writes)
        {
            UnixFileMode? modeOnDisk = null;
            if (refuseTargets)
            {
                var (_, inspectedMode, refusal) = Workspace.Inspect(write.Path);
                modeOnDisk = refusal is null ? inspectedMode : throw refusal;
            }
            else if (write.Content is not null && write.Mode is null)
            {
                modeOnDisk = ModeOnDisk(write.Path);
            }

            if (write.Content is null)
            {
                staged.Add((write, null));
                continue;
            }

            var mode = write.Mode ?? modeOnDisk ?? DefaultMode;
            staged.Add((write, Workspace.CreateTemporary(write.Content, mode, flushToDisk)));
        }
    }

    private void PublishOne(PlannedFileWrite write, string? temporary, HashSet<string> folders)
    {
        if (temporary is null)
        {
            Workspace.Delete(write.Path, folders);
        }
        else
        {
            Workspace.Publish(temporary, write.Path, folders);
        }
    }
}
