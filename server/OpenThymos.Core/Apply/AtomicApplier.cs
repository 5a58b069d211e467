// Writes approved file states so that a crash at any instant leaves each file whole: before or after.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Apply;

/// <summary>
/// Applies a set of file writes with the classic sequence: write each new version to a temp file in
/// <c>.thymos/staging</c>, fsync it, give it the file's mode, rename it over the target (atomic on
/// POSIX), then fsync every directory touched. Deletions unlink and fsync the directory. A rename
/// either happened or did not, so every file is at its before or its after state at every instant;
/// crash recovery finishes or rolls back the set (see <c>ThymosRuntime.Recovery</c>). Approvals use the
/// faster split <see cref="Stage"/> / <see cref="Publish"/> / <see cref="SyncFiles"/>, which leaves the
/// fsyncs to a background batch because the ledger holds everything needed to redo the writes.
/// </summary>
public sealed class AtomicApplier(string workspaceRoot)
{
    /// <summary>The staging folder for temp files, inside the workspace so renames stay on one file system.</summary>
    public string StagingDirectory { get; } = System.IO.Path.Combine(workspaceRoot, ".thymos", "staging");

    private long _generation;

    /// <summary>
    /// Counts the applies and publishes that may have changed workspace files, bumped after their renames and
    /// deletions (also when one failed part-way). A caller that read files without the runtime's lock compares it
    /// with the value it read before reading: unchanged means no file was written through this applier since.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Test hook: called after each file's rename, so tests can fail or stop part-way.</summary>
    internal Action<string>? AfterEachFile { get; set; }

    /// <summary>Applies the writes in order; throws <see cref="IOException"/> (or access errors) when a step fails.</summary>
    public void Apply(IReadOnlyList<PlannedFileWrite> writes)
    {
        Directory.CreateDirectory(StagingDirectory);
        var directoriesToSync = new HashSet<string>(StringComparer.Ordinal) { StagingDirectory };
        var staged = new List<(PlannedFileWrite Write, string? TempPath)>();
        try
        {
            WriteTemporaryFiles(writes, staged, flushToDisk: true);

            foreach (var (write, temporary) in staged)
            {
                var target = FullPath(write.Path);
                var directory = System.IO.Path.GetDirectoryName(target)!;
                if (temporary is null)
                {
                    if (File.Exists(target))
                    {
                        File.Delete(target);
                    }
                }
                else
                {
                    CreateDirectoryDurably(directory, directoriesToSync);
                    File.Move(temporary, target, overwrite: true);
                }

                directoriesToSync.Add(directory);
                AfterEachFile?.Invoke(write.Path);
            }
        }
        finally
        {
            Interlocked.Increment(ref _generation);
            foreach (var (_, temporary) in staged)
            {
                if (temporary is not null && File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        foreach (var directory in directoriesToSync)
        {
            SyncDirectory(directory);
        }
    }

    /// <summary>
    /// Writes each new version to its own temp file in the staging folder (deletions get none), recording
    /// each temp path before writing it so the caller's cleanup also removes a half-written one.
    /// </summary>
    private void WriteTemporaryFiles(IReadOnlyList<PlannedFileWrite> writes, List<(PlannedFileWrite Write, string? TempPath)> staged, bool flushToDisk)
    {
        foreach (var write in writes)
        {
            if (write.Content is null)
            {
                staged.Add((write, null));
                continue;
            }

            var target = FullPath(write.Path);
            var temporary = System.IO.Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N") + ".tmp");
            var mode = write.Mode ?? ExistingMode(target) ?? DefaultMode;
            staged.Add((write, temporary));
            WriteFile(temporary, write.Content, mode, flushToDisk);
        }
    }

    /// <summary>
    /// First half of the fast apply used by the redo-log write protocol (see <c>ThymosRuntime.CarryOut</c>):
    /// writes each new version to a temp file in the staging folder WITHOUT an fsync, and creates missing
    /// directories. Nothing in the workspace changes yet. The caller makes the commit durable, then calls
    /// <see cref="Publish"/>; if it does not, <see cref="Discard"/> removes the temp files.
    /// </summary>
    public StagedApply Stage(IReadOnlyList<PlannedFileWrite> writes)
    {
        Directory.CreateDirectory(StagingDirectory);
        var staged = new List<(PlannedFileWrite Write, string? TempPath)>();
        try
        {
            WriteTemporaryFiles(writes, staged, flushToDisk: false);
        }
        catch
        {
            Discard(new StagedApply(staged));
            throw;
        }

        return new StagedApply(staged);
    }

    /// <summary>
    /// Second half of the fast apply: renames each temp file over its target (creating missing
    /// directories) and unlinks deletions, in order, without fsyncs. Every rename is atomic, so each file
    /// is whole at every instant; durability of the files comes later from <see cref="SyncFiles"/> (or,
    /// after a crash, from recovery redoing the commit from the ledger's blobs). Returns the full paths of
    /// the files and directories that a later sync must fsync.
    /// </summary>
    public (IReadOnlyList<string> Files, IReadOnlyList<string> Directories) Publish(StagedApply staged)
    {
        var files = new List<string>();
        var directories = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (write, temporary) in staged.Writes)
            {
                BeforeEachFile?.Invoke(write.Path);
                var target = FullPath(write.Path);
                var directory = System.IO.Path.GetDirectoryName(target)!;
                if (temporary is null)
                {
                    if (File.Exists(target))
                    {
                        File.Delete(target);
                    }
                }
                else
                {
                    CreateDirectoryDurably(directory, directories);
                    File.Move(temporary, target, overwrite: true);
                    files.Add(target);
                }

                directories.Add(directory);
                AfterEachFile?.Invoke(write.Path);
            }
        }
        finally
        {
            Interlocked.Increment(ref _generation);
            Discard(staged);
        }

        return (files, [.. directories]);
    }

    /// <summary>Removes the temp files of a staged apply that was not (or not fully) published.</summary>
    public static void Discard(StagedApply staged)
    {
        foreach (var (_, temporary) in staged.Writes)
        {
            if (temporary is not null && File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>fsyncs files (their data) and then directories (their renames and unlinks); missing ones are skipped (a later commit deleted them).</summary>
    public static void SyncFiles(IEnumerable<string> files, IEnumerable<string> directories)
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var file in files.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                stream.Flush(flushToDisk: true);
            }

            return;
        }

        foreach (var file in files)
        {
            SyncPath(file, DirectorySync.ReadOnlyFileFlags);
        }

        foreach (var directory in directories)
        {
            SyncDirectory(directory);
        }
    }

    /// <summary>Test hook: called before each file's rename in <see cref="Publish"/>, so tests can stop before any file moved.</summary>
    internal Action<string>? BeforeEachFile { get; set; }

    /// <summary>Removes temp files left by an apply that was interrupted.</summary>
    public void CleanStaging()
    {
        if (!Directory.Exists(StagingDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(StagingDirectory, "*.tmp"))
        {
            File.Delete(file);
        }
    }

    /// <summary>The content hash of a file on disk, or null when it does not exist.</summary>
    public string? HashOnDisk(string path)
    {
        var full = FullPath(path);
        if (!File.Exists(full))
        {
            return null;
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return ContentHash.Of(stream).ToString();
    }

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    public byte[]? ReadOnDisk(string path)
    {
        var full = FullPath(path);
        return File.Exists(full) ? File.ReadAllBytes(full) : null;
    }

    /// <summary>The file's Unix mode, or null when it does not exist (or on Windows).</summary>
    public UnixFileMode? ModeOnDisk(string path) => ExistingMode(FullPath(path));

    private static UnixFileMode DefaultMode =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The full path of a workspace-relative path.</summary>
    public string FullPathOf(string relative) => FullPath(relative);

    private string FullPath(string relative) => System.IO.Path.Combine(workspaceRoot, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static UnixFileMode? ExistingMode(string fullPath) =>
        OperatingSystem.IsWindows() || !File.Exists(fullPath) ? null : File.GetUnixFileMode(fullPath);

    private static void WriteFile(string path, byte[] content, UnixFileMode mode, bool flushToDisk)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is filtered by the umask; set the exact mode the file had.
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void CreateDirectoryDurably(string directory, HashSet<string> directoriesToSync)
    {
        var missing = new Stack<string>();
        var current = directory;
        while (!Directory.Exists(current))
        {
            missing.Push(current);
            current = System.IO.Path.GetDirectoryName(current)!;
        }

        while (missing.Count > 0)
        {
            var created = missing.Pop();
            Directory.CreateDirectory(created);
            directoriesToSync.Add(System.IO.Path.GetDirectoryName(created)!);
        }
    }

    /// <summary>fsync on a directory makes renames and unlinks in it durable (POSIX only).</summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        SyncPath(directory, DirectorySync.ReadOnlyDirectoryFlags);
    }

    private static void SyncPath(string path, int flags)
    {
        var descriptor = DirectorySync.Open(path, flags);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            if (DirectorySync.Fsync(descriptor) != 0 && flags == DirectorySync.ReadOnlyFileFlags)
            {
                // A file whose data could not be flushed must not be vouched for (some file systems refuse directory fsyncs; those are ignored).
                throw new IOException($"fsync of '{path}' failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            DirectorySync.Close(descriptor);
        }
    }
}
