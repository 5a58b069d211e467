// Writes approved file states so that a crash at any instant leaves each file whole: before or after.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Apply;

/// <summary>
/// Applies a set of file writes with the classic sequence: write each new version to a temp file in
/// <c>.thymos/staging</c>, fsync it, give it the file's mode, rename it over the target (atomic on
/// POSIX), then fsync every directory touched. Deletions unlink and fsync the directory. A rename
/// either happened or did not, so every file is at its before or its after state at every instant;
/// crash recovery finishes or rolls back the set (see <c>CrashRecovery</c>).
/// </summary>
public sealed class AtomicApplier(string workspaceRoot)
{
    /// <summary>The staging folder for temp files, inside the workspace so renames stay on one file system.</summary>
    public string StagingDirectory { get; } = System.IO.Path.Combine(workspaceRoot, ".thymos", "staging");

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
                WriteDurably(temporary, write.Content, mode);
                staged.Add((write, temporary));
            }

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

    private string FullPath(string relative) => System.IO.Path.Combine(workspaceRoot, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static UnixFileMode? ExistingMode(string fullPath) =>
        OperatingSystem.IsWindows() || !File.Exists(fullPath) ? null : File.GetUnixFileMode(fullPath);

    private static void WriteDurably(string path, byte[] content, UnixFileMode mode)
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
            stream.Flush(flushToDisk: true);
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

        var descriptor = DirectorySync.Open(directory);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            DirectorySync.Fsync(descriptor);
        }
        finally
        {
            DirectorySync.Close(descriptor);
        }
    }
}
