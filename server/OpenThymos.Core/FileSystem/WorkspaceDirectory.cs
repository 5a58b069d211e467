// Every workspace file operation, resolved beneath a handle on the workspace root without following a link on the way.
using Microsoft.Win32.SafeHandles;
using OpenThymos.Core.Hashing;
using static OpenThymos.Core.FileSystem.NativeFileSystem;

namespace OpenThymos.Core.FileSystem;

/// <summary>
/// Owns a directory handle on the workspace root and performs every workspace file operation (read, list, stat,
/// create, write, rename, delete, mkdir, hash, fsync) relative to it, never following a symbolic link on the way.
/// A path string is never re-checked and then used: a check followed by an operation by path is a race an agent
/// with a shell wins by swapping a folder for a link in between. Instead each operation resolves its path once,
/// and what it opens is what it checked.
/// <para>
/// Linux: <c>openat2</c> with <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS</c>; where the
/// kernel lacks it (ENOSYS) or a seccomp filter refuses it (EPERM), and on macOS, component-wise <c>openat</c>
/// with <c>O_NOFOLLOW | O_DIRECTORY</c> per folder and <c>O_NOFOLLOW</c> for the leaf, which gives the same
/// guarantee with one call per component. Writes create a temp file with <c>O_CREAT | O_EXCL | O_NOFOLLOW</c> in
/// the staging folder's handle, fsync and fchmod it by descriptor, and <c>renameat</c> it onto the parent
/// folder's handle; deletions <c>unlinkat</c> on the parent's handle; folders are made with <c>mkdirat</c>.
/// A regular file is the only kind read: the descriptor's own <c>statx</c>/<c>fstat</c> decides, after opening.
/// </para>
/// <para>
/// Windows (not a shipped build): operations go by path after checking each component for a reparse point
/// (<see cref="Paths.FileKindProbe"/>). That is weaker: a swap between the check and the operation is not
/// prevented there.
/// </para>
/// Thread-safe: the root handle is shared read-only and reference-counted, so a reader racing
/// <see cref="Dispose"/> never uses a reused descriptor; the staging handle is used only by the applier,
/// which the runtime serializes.
/// </summary>
public sealed class WorkspaceDirectory : IDisposable
{
    /// <summary>The staging folder for temp files, relative to the root.</summary>
    public const string StagingPath = ".thymos/staging";

    /// <summary>Names every workspace folder that holds OpenThymos's own state.</summary>
    public const string StateFolder = ".thymos";

    private const uint OwnerOnlyFolder = 0x1C0; // 0700
    private const uint DefaultFolder = 0x1FF; // 0777, less the umask, as Directory.CreateDirectory does
    private const uint OwnerOnlyFile = 0x180; // 0600

    private static int _openat2Unavailable;
    private readonly SafeFileHandle? _root;
    private readonly Lock _stagingGate = new();
    private SafeFileHandle? _staging;

    /// <summary>Opens a handle on the root folder (following links in the root's own path, which the user chose).</summary>
    /// <exception cref="IOException">The root cannot be opened as a folder.</exception>
    public WorkspaceDirectory(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = OpenAt(AtFdCwd, Root, ReadOnly | DirectoryOnly | CloseOnExec, 0);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the workspace folder '{Root}' (errno {LastError}); check that it exists and that you can read it.");
        }

        _root = new SafeFileHandle(descriptor, ownsHandle: true);
    }

    /// <summary>The absolute root path (for messages and for the platforms without handles).</summary>
    public string Root { get; }

    /// <summary>True when openat2 is in use (Linux 5.6 and later, not refused by a seccomp filter).</summary>
    public static bool UsesOpenat2 => IsLinux && Volatile.Read(ref _openat2Unavailable) == 0;

    /// <summary>Test hook: force the component-wise fallback, as on a kernel without openat2.</summary>
    internal static void ForceComponentWiseResolution(bool force) => Volatile.Write(ref _openat2Unavailable, force ? 1 : 0);

    /// <summary>What the path names, without following links; a link anywhere on the way is <see cref="WorkspaceEntryKind.SymbolicLink"/>.</summary>
    public WorkspaceEntryKind KindOf(string relative)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsKind(relative);
        }

        using var root = Lease();
        var (parent, leaf) = Split(relative);
        var folder = OpenBeneath(root.Descriptor, parent, ReadOnly | DirectoryOnly, 0);
        if (folder < 0)
        {
            return KindOfError(-folder);
        }

        try
        {
            return Status(folder, leaf, AtSymlinkNoFollow, out var status) != 0 ? KindOfError(LastError) : KindOfType(status.Type);
        }
        finally
        {
            Close(folder);
        }
    }

    /// <summary>
    /// What the path names, resolved beneath the root without following links (its folder opened once, its leaf
    /// stat'ed in that folder), with the refusal that says why no edit may go there: a link on the way or at the
    /// leaf, a file or special file used as a folder, a folder, a special file, or a regular file with other hard
    /// links. Nothing there, or a regular file with one name, is no refusal. The mode is the regular file's Unix
    /// permission bits (null otherwise, and on Windows). This answers at one instant; the operation that follows
    /// resolves again and refuses the same way if the path changed meanwhile.
    /// </summary>
    public (WorkspaceEntryKind Kind, UnixFileMode? Mode, WorkspacePathException? Refusal) Inspect(string relative)
    {
        if (OperatingSystem.IsWindows())
        {
            var kind = WindowsKind(relative);
            return (kind, null, kind is WorkspaceEntryKind.Missing or WorkspaceEntryKind.RegularFile ? null : new WorkspacePathException(relative, kind));
        }

        using var root = Lease();
        var (parent, leaf) = Split(relative);
        var folder = OpenBeneath(root.Descriptor, parent, ReadOnly | DirectoryOnly, 0);
        if (folder < 0)
        {
            var kind = KindOfError(-folder);
            return (kind, null, kind == WorkspaceEntryKind.Missing ? null : Diagnose(root.Descriptor, relative, kind));
        }

        try
        {
            if (Status(folder, leaf, AtSymlinkNoFollow, out var status) != 0)
            {
                var kind = KindOfError(LastError);
                return (kind, null, kind == WorkspaceEntryKind.Missing ? null : Diagnose(root.Descriptor, relative, kind));
            }

            var found = KindOfType(status.Type);
            return found switch
            {
                WorkspaceEntryKind.RegularFile when status.LinkCount > 1 => (found, null, new WorkspacePathException(relative, relative, found, null, null, status.LinkCount)),
                WorkspaceEntryKind.RegularFile => (found, (UnixFileMode)(status.Mode & 0xFFF), null),
                WorkspaceEntryKind.SymbolicLink => (found, null, LinkRefusal(folder, relative, relative, leaf)),
                _ => (found, null, new WorkspacePathException(relative, relative, found, null, null, 1)),
            };
        }
        finally
        {
            Close(folder);
        }
    }

    /// <summary>
    /// The largest file OpenThymos reads, hashes for a comparison or records (256 MiB): a bound on memory and on the
    /// time a hash may hold the runtime, whatever size an agent's shell gives a file.
    /// </summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Reads a regular file; null when it does not exist.</summary>
    /// <param name="relative">The workspace-relative path.</param>
    /// <param name="refuseHardLinks">True for agent-facing reads: a file with other names may share bytes with a file outside the workspace.</param>
    /// <exception cref="WorkspacePathException">The path is or goes through a link, is not a regular file, or (when refused) has other hard links.</exception>
    /// <exception cref="WorkspaceFileTooLargeException">The file is larger than <see cref="MaxFileBytes"/> (or grew past it while read).</exception>
    public byte[]? ReadFile(string relative, bool refuseHardLinks = false)
    {
        using var file = OpenRegular(relative, refuseHardLinks, out var size);
        if (file is null)
        {
            return null;
        }

        if (size > MaxFileBytes)
        {
            throw new WorkspaceFileTooLargeException(relative, size);
        }

        return ReadAll(file, size) ?? throw new WorkspaceFileTooLargeException(relative, MaxFileBytes + 1);
    }

    /// <summary>
    /// The content hash of a regular file, streamed; <see cref="WorkspaceEntryKind.Missing"/> with a null hash when absent,
    /// and never the content behind a link. A file larger than <see cref="MaxFileBytes"/> is not hashed: it is a regular
    /// file with a null hash, which equals no recorded state.
    /// </summary>
    public (WorkspaceEntryKind Kind, ContentHash? Hash) HashFile(string relative) => HashFile(relative, MaxFileBytes, out _);

    /// <summary>
    /// <see cref="HashFile(string)"/> with a limit of <paramref name="maxBytes"/> (null for none): past it the file is not
    /// hashed (or hashed no further, if it grew) and <paramref name="tooLarge"/> is set.
    /// </summary>
    public (WorkspaceEntryKind Kind, ContentHash? Hash) HashFile(string relative, long? maxBytes, out bool tooLarge)
    {
        tooLarge = false;
        try
        {
            using var file = OpenRegular(relative, refuseHardLinks: false, out var size);
            if (file is null)
            {
                return (WorkspaceEntryKind.Missing, null);
            }

            if (size > maxBytes)
            {
                tooLarge = true;
                return (WorkspaceEntryKind.RegularFile, null);
            }

            using var hasher = Blake3.Hasher.New();
            var buffer = new byte[1 << 16];
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(file, buffer, offset)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
                offset += read;
                if (offset > maxBytes)
                {
                    // It grew past the limit while it was hashed.
                    tooLarge = true;
                    return (WorkspaceEntryKind.RegularFile, null);
                }
            }

            var output = new byte[ContentHash.Size];
            hasher.Finalize(output);
            return (WorkspaceEntryKind.RegularFile, ContentHash.FromBytes(output));
        }
        catch (WorkspacePathException exception)
        {
            return (exception.Found, null);
        }
    }

    /// <summary>The Unix permission bits of a regular file; null when it is absent, not a regular file, or on Windows.</summary>
    public UnixFileMode? ModeOf(string relative)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        using var root = Lease();
        var (parent, leaf) = Split(relative);
        var folder = OpenBeneath(root.Descriptor, parent, ReadOnly | DirectoryOnly, 0);
        if (folder < 0)
        {
            return null;
        }

        try
        {
            return Status(folder, leaf, AtSymlinkNoFollow, out var status) == 0 && status.Type == RegularType ? (UnixFileMode)(status.Mode & 0xFFF) : null;
        }
        finally
        {
            Close(folder);
        }
    }

    /// <summary>
    /// The regular files under the root, reading folder handles and descending with no-follow opens; links,
    /// FIFOs, sockets and devices are skipped, and so is every folder <paramref name="descend"/> refuses
    /// (given the folder's name and its relative path).
    /// </summary>
    public List<string> ListFiles(Func<string, string, bool> descend, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsList(descend, cancellationToken);
        }

        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push("");
        using var root = Lease();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = pending.Pop();
            var folder = OpenBeneath(root.Descriptor, relative, ReadOnly | DirectoryOnly, 0);
            if (folder < 0)
            {
                continue;
            }

            try
            {
                foreach (var (name, direntType) in ReadDirectory(folder) ?? [])
                {
                    var path = relative.Length == 0 ? name : relative + "/" + name;
                    var type = direntType switch
                    {
                        DirentDirectory => DirectoryType,
                        DirentRegular => RegularType,
                        DirentLink => LinkType,
                        _ => Status(folder, name, AtSymlinkNoFollow, out var status) == 0 ? status.Type : 0,
                    };
                    if (type == DirectoryType && descend(name, path))
                    {
                        pending.Push(path);
                    }
                    else if (type == RegularType)
                    {
                        found.Add(path);
                    }
                }
            }
            finally
            {
                Close(folder);
            }
        }

        return found;
    }

    /// <summary>
    /// Writes bytes to a new temp file in the staging folder (created owner-only beneath the root if missing)
    /// with O_CREAT | O_EXCL | O_NOFOLLOW, gives it <paramref name="mode"/> by descriptor and fsyncs it when asked.
    /// Returns the temp file's name inside the staging folder.
    /// </summary>
    public string CreateTemporary(byte[] content, UnixFileMode mode, bool flushToDisk)
    {
        var name = Guid.NewGuid().ToString("N") + ".tmp";
        if (OperatingSystem.IsWindows())
        {
            var path = Path.Combine(WindowsStaging(), name);
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(content);
            stream.Flush(flushToDisk);
            return name;
        }

        for (var attempt = 0; ; attempt++)
        {
            var staging = StagingHandle(reopen: attempt > 0);
            var descriptor = OpenAt((int)staging.DangerousGetHandle(), name, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, OwnerOnlyFile);
            if (descriptor < 0)
            {
                var error = LastError;
                if (error == NoEntry && attempt == 0)
                {
                    // The staging folder was removed or replaced since it was opened: open it again, once.
                    continue;
                }

                throw new IOException($"Cannot create a temp file in '{StagingPath}' (errno {error}); check that the workspace is writable.");
            }

            using var file = new SafeFileHandle(descriptor, ownsHandle: true);
            RandomAccess.Write(file, content, 0);
            if (flushToDisk && Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of a temp file in '{StagingPath}' failed (errno {LastError}).");
            }

            // The create mode was filtered by the umask; give the temp file the exact mode the target must have.
            if (Fchmod(descriptor, (uint)mode) != 0)
            {
                throw new IOException($"Cannot set the mode of a temp file in '{StagingPath}' (errno {LastError}).");
            }

            return name;
        }
    }

    /// <summary>Removes a temp file from the staging folder; a missing one is fine.</summary>
    public void RemoveTemporary(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Delete(Path.Combine(WindowsStaging(), name));
            return;
        }

        var staging = StagingHandle(reopen: false);
        UnlinkAt((int)staging.DangerousGetHandle(), name, 0);
    }

    /// <summary>Removes every temp file (<c>*.tmp</c>) from the staging folder, reading it by handle.</summary>
    public void CleanStaging()
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(WindowsStaging()))
            {
                foreach (var file in Directory.EnumerateFiles(WindowsStaging(), "*.tmp"))
                {
                    File.Delete(file);
                }
            }

            return;
        }

        var staging = (int)StagingHandle(reopen: true).DangerousGetHandle();
        foreach (var (name, _) in ReadDirectory(staging) ?? [])
        {
            if (name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                UnlinkAt(staging, name, 0);
            }
        }
    }

    /// <summary>
    /// Renames a temp file from the staging folder onto <paramref name="relative"/>, creating missing folders
    /// with mkdirat; the target's folder is resolved beneath the root without following links, and a folder
    /// that turns out to be <c>.thymos</c> itself (a plain folder swap) is refused. Adds the relative folders
    /// whose entries changed to <paramref name="touchedFolders"/> ("" is the root).
    /// </summary>
    /// <exception cref="WorkspacePathException">A folder on the way is a link or not a folder.</exception>
    public void Publish(string temporaryName, string relative, ISet<string> touchedFolders)
    {
        var (parent, leaf) = Split(relative);
        if (OperatingSystem.IsWindows())
        {
            WindowsEnsureFolders(parent, touchedFolders);
            File.Move(Path.Combine(WindowsStaging(), temporaryName), FullPath(relative), overwrite: true);
            touchedFolders.Add(parent);
            return;
        }

        using var root = Lease();
        var folder = OpenOrCreateFolder(root.Descriptor, parent, relative, touchedFolders);
        try
        {
            RefuseStateFolder(root.Descriptor, folder, parent, relative);
            var staging = (int)StagingHandle(reopen: false).DangerousGetHandle();
            if (RenameAt(staging, temporaryName, folder, leaf) != 0)
            {
                var error = LastError;
                throw error == IsADirectory
                    ? new WorkspacePathException(relative, WorkspaceEntryKind.Directory)
                    : new IOException($"Cannot move the new version of '{relative}' into place (errno {error}); check that its folder is writable.");
            }
        }
        finally
        {
            Close(folder);
        }

        touchedFolders.Add(parent);
    }

    /// <summary>Unlinks <paramref name="relative"/> in its folder's handle (a link there is removed itself, never followed); a missing file or folder is fine.</summary>
    /// <exception cref="WorkspacePathException">A folder on the way is a link, or the path is a folder.</exception>
    public void Delete(string relative, ISet<string> touchedFolders)
    {
        var (parent, leaf) = Split(relative);
        if (OperatingSystem.IsWindows())
        {
            if (WindowsKind(relative) is WorkspaceEntryKind.RegularFile or WorkspaceEntryKind.SymbolicLink && File.Exists(FullPath(relative)))
            {
                File.Delete(FullPath(relative));
            }

            touchedFolders.Add(parent);
            return;
        }

        using var root = Lease();
        var folder = OpenBeneath(root.Descriptor, parent, ReadOnly | DirectoryOnly, 0);
        if (folder < 0)
        {
            var kind = KindOfError(-folder);
            if (kind == WorkspaceEntryKind.Missing)
            {
                return;
            }

            throw Diagnose(root.Descriptor, relative, kind);
        }

        try
        {
            RefuseStateFolder(root.Descriptor, folder, parent, relative);
            if (UnlinkAt(folder, leaf, 0) != 0)
            {
                var error = LastError;
                if (error != NoEntry)
                {
                    throw error == IsADirectory || error == NotPermitted
                        ? new WorkspacePathException(relative, WorkspaceEntryKind.Directory)
                        : new IOException($"Cannot delete '{relative}' (errno {error}); check that its folder is writable.");
                }
            }
        }
        finally
        {
            Close(folder);
        }

        touchedFolders.Add(parent);
    }

    /// <summary>fsyncs a regular file's data by descriptor; a missing file, or a link, is skipped (a later change removed it).</summary>
    /// <exception cref="IOException">The fsync itself failed.</exception>
    public void SyncFile(string relative)
    {
        if (OperatingSystem.IsWindows())
        {
            if (WindowsKind(relative) == WorkspaceEntryKind.RegularFile)
            {
                using var stream = new FileStream(FullPath(relative), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                stream.Flush(flushToDisk: true);
            }

            return;
        }

        using var root = Lease();
        var descriptor = OpenBeneath(root.Descriptor, relative, ReadOnly | NonBlocking, 0);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            if (Status(descriptor, "", AtEmptyPath, out var status) == 0 && status.Type == RegularType && Fsync(descriptor) != 0)
            {
                // A file whose data could not be flushed must not be vouched for.
                throw new IOException($"fsync of '{relative}' failed (errno {LastError}).");
            }
        }
        finally
        {
            Close(descriptor);
        }
    }

    /// <summary>fsyncs a folder by descriptor so the renames and unlinks in it are durable; failures are ignored (some file systems refuse directory fsyncs).</summary>
    public void SyncFolder(string relative)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var root = Lease();
        var descriptor = OpenBeneath(root.Descriptor, relative, ReadOnly | DirectoryOnly, 0);
        if (descriptor >= 0)
        {
            Fsync(descriptor);
            Close(descriptor);
        }
    }

    /// <summary>
    /// Replaces a small file inside an OpenThymos folder durably: temp file beside it (O_NOFOLLOW), fsync, renameat
    /// in the folder's handle, folder fsync. Used for the applied-through mark.
    /// </summary>
    public void WriteDurably(string relative, byte[] content)
    {
        var (parent, leaf) = Split(relative);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(FullPath(parent));
            var temporary = FullPath(relative) + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FullPath(relative), overwrite: true);
            return;
        }

        using var root = Lease();
        var folder = OpenOrCreateFolder(root.Descriptor, parent, relative, new HashSet<string>(StringComparer.Ordinal));
        try
        {
            var temporaryName = leaf + ".tmp";
            UnlinkAt(folder, temporaryName, 0);
            var descriptor = OpenAt(folder, temporaryName, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, OwnerOnlyFile);
            if (descriptor < 0)
            {
                throw new IOException($"Cannot write '{relative}.tmp' (errno {LastError}); check that the workspace is writable.");
            }

            using (var file = new SafeFileHandle(descriptor, ownsHandle: true))
            {
                RandomAccess.Write(file, content, 0);
                if (Fsync(descriptor) != 0)
                {
                    throw new IOException($"fsync of '{relative}.tmp' failed (errno {LastError}).");
                }
            }

            if (RenameAt(folder, temporaryName, folder, leaf) != 0)
            {
                throw new IOException($"Cannot replace '{relative}' (errno {LastError}); check that the workspace is writable.");
            }

            Fsync(folder);
        }
        finally
        {
            Close(folder);
        }
    }

    /// <summary>The full path of a workspace-relative path, for messages only: never open it.</summary>
    public string FullPath(string relative) =>
        relative.Length == 0 ? Root : Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <inheritdoc />
    public void Dispose()
    {
        _root?.Dispose();
        lock (_stagingGate)
        {
            _staging?.Dispose();
            _staging = null;
        }
    }

    /// <summary>Opens a regular file for reading; null when it is absent. Checks the opened descriptor, not the path.</summary>
    private SafeFileHandle? OpenRegular(string relative, bool refuseHardLinks, out long size)
    {
        size = -1;
        if (OperatingSystem.IsWindows())
        {
            var kind = WindowsKind(relative);
            if (kind == WorkspaceEntryKind.Missing)
            {
                return null;
            }

            if (kind != WorkspaceEntryKind.RegularFile)
            {
                throw new WorkspacePathException(relative, kind);
            }

            return File.OpenHandle(FullPath(relative), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        using var root = Lease();

        // O_NONBLOCK: opening a FIFO must not hang the runtime; it is refused below as not a regular file.
        var descriptor = OpenBeneath(root.Descriptor, relative, ReadOnly | NonBlocking, 0);
        if (descriptor < 0)
        {
            var kind = KindOfError(-descriptor);
            if (kind == WorkspaceEntryKind.Missing)
            {
                return null;
            }

            throw Diagnose(root.Descriptor, relative, kind);
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Status(descriptor, "", AtEmptyPath, out var status) != 0 || status.Type != RegularType)
        {
            handle.Dispose();
            throw new WorkspacePathException(relative, relative, status.Type == DirectoryType ? WorkspaceEntryKind.Directory : WorkspaceEntryKind.Other, null, null, 1);
        }

        if (refuseHardLinks && status.LinkCount > 1)
        {
            handle.Dispose();
            throw new WorkspacePathException(relative, relative, WorkspaceEntryKind.RegularFile, null, null, status.LinkCount);
        }

        size = status.Size;
        return handle;
    }

    /// <summary>The file's bytes, or null when it holds more than <see cref="MaxFileBytes"/> (it may grow while read).</summary>
    private static byte[]? ReadAll(SafeFileHandle file, long sizeHint)
    {
        var buffer = new byte[sizeHint is > 0 and <= MaxFileBytes ? sizeHint + 1 : 1 << 16];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > MaxFileBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, MaxFileBytes + 1));
            }

            var read = RandomAccess.Read(file, buffer.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total == buffer.Length ? buffer : buffer[..total];
    }

    /// <summary>
    /// Opens <paramref name="relative"/> ("" for the folder itself) beneath <paramref name="directory"/>, never following
    /// a link (the leaf included). Returns the descriptor, or minus the errno: ELOOP (or EXDEV) for a link on the way.
    /// </summary>
    private static int OpenBeneath(int directory, string relative, int flags, uint mode)
    {
        var path = relative.Length == 0 ? "." : relative;
        if (IsLinux && Volatile.Read(ref _openat2Unavailable) == 0)
        {
            for (var attempt = 0; attempt < 16; attempt++)
            {
                var descriptor = Openat2(directory, path, (ulong)(flags | NoFollow | CloseOnExec), mode, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks);
                if (descriptor >= 0)
                {
                    return descriptor;
                }

                var error = LastError;
                if (error == Interrupted || error == TryAgain)
                {
                    // EAGAIN: the kernel saw a concurrent rename during resolution and asks to retry.
                    continue;
                }

                if (error == NotImplemented || error == NotPermitted || error == ArgumentListTooLong)
                {
                    // No openat2 (kernel before 5.6), or a seccomp filter refuses it: fall back for good.
                    Volatile.Write(ref _openat2Unavailable, 1);
                    break;
                }

                return -error;
            }
        }

        return OpenComponentWise(directory, path, flags, mode);
    }

    private static int OpenComponentWise(int directory, string path, int flags, uint mode)
    {
        var current = directory;
        var owned = false;
        var start = 0;
        try
        {
            while (true)
            {
                var slash = path.IndexOf('/', start);
                if (slash < 0)
                {
                    var descriptor = OpenAt(current, path[start..], flags | NoFollow | CloseOnExec, mode);
                    return descriptor >= 0 ? descriptor : -LastError;
                }

                var next = OpenAt(current, path[start..slash], ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
                if (next < 0)
                {
                    // O_NOFOLLOW | O_DIRECTORY on a link answers ENOTDIR: tell a link (ELOOP, as openat2 says) from a file.
                    var error = LastError;
                    return error == NotADirectory && Status(current, path[start..slash], AtSymlinkNoFollow, out var status) == 0 && status.Type == LinkType
                        ? -TooManyLinks
                        : -error;
                }

                if (owned)
                {
                    Close(current);
                }

                current = next;
                owned = true;
                start = slash + 1;
            }
        }
        finally
        {
            if (owned)
            {
                Close(current);
            }
        }
    }

    /// <summary>
    /// Opens a folder beneath the root, making the missing ones with mkdirat (each made folder's parent is added to
    /// <paramref name="touchedFolders"/>). A refusal names <paramref name="forPath"/>, the path the folder is opened for.
    /// </summary>
    private int OpenOrCreateFolder(int root, string relative, string forPath, ISet<string> touchedFolders, uint createMode = DefaultFolder)
    {
        var descriptor = OpenBeneath(root, relative, ReadOnly | DirectoryOnly, 0);
        if (descriptor >= 0)
        {
            return descriptor;
        }

        if (KindOfError(-descriptor) != WorkspaceEntryKind.Missing)
        {
            throw Diagnose(root, forPath, KindOfError(-descriptor));
        }

        var current = OpenBeneath(root, "", ReadOnly | DirectoryOnly, 0);
        var walked = "";
        foreach (var segment in relative.Split('/'))
        {
            var next = OpenAt(current, segment, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
            if (next < 0 && LastError == NoEntry)
            {
                if (MakeDirectoryAt(current, segment, createMode) != 0 && LastError != Exists)
                {
                    var error = LastError;
                    Close(current);
                    throw new IOException($"Cannot create the folder '{(walked.Length == 0 ? segment : walked + "/" + segment)}' (errno {error}); check that the workspace is writable.");
                }

                touchedFolders.Add(walked);
                next = OpenAt(current, segment, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
            }

            var openError = LastError;
            if (next < 0 && openError == NotADirectory && Status(current, segment, AtSymlinkNoFollow, out var status) == 0 && status.Type == LinkType)
            {
                openError = TooManyLinks;
            }

            Close(current);
            walked = walked.Length == 0 ? segment : walked + "/" + segment;
            if (next < 0)
            {
                throw Diagnose(root, forPath, KindOfError(openError) == WorkspaceEntryKind.Missing ? WorkspaceEntryKind.Other : KindOfError(openError));
            }

            current = next;
        }

        return current;
    }

    /// <summary>Refuses a target folder that is the workspace's <c>.thymos</c> folder, reached under another name by swapping plain folders.</summary>
    private static void RefuseStateFolder(int root, int folder, string parent, string relative)
    {
        if (parent.Length == 0 || parent == StateFolder || parent.StartsWith(StateFolder + "/", StringComparison.Ordinal))
        {
            return;
        }

        if (Status(folder, "", AtEmptyPath, out var target) == 0
            && Status(root, StateFolder, AtSymlinkNoFollow, out var state) == 0
            && target.Inode == state.Inode && target.Device == state.Device)
        {
            throw new IOException($"The folder of '{relative}' was swapped for the workspace's .thymos folder while OpenThymos wrote it; nothing was written. Put the folder back and try again.");
        }
    }

    /// <summary>
    /// Why resolving <paramref name="relative"/> failed, told component by component: each folder is opened with
    /// <c>openat(O_NOFOLLOW | O_DIRECTORY)</c> in the previous one's handle and each name stat'ed there without
    /// following it, so the component named is one this walk saw, never one reached through a link. Runs only
    /// after a refusal; when the path no longer shows the fault (it was swapped back), the refusal names the path
    /// with <paramref name="found"/>, what the failed operation saw.
    /// </summary>
    private WorkspacePathException Diagnose(int root, string relative, WorkspaceEntryKind found)
    {
        var segments = relative.Split('/');
        var current = root;
        var owned = false;
        var walked = "";
        try
        {
            for (var i = 0; i < segments.Length; i++)
            {
                walked = i == 0 ? segments[0] : walked + "/" + segments[i];
                if (Status(current, segments[i], AtSymlinkNoFollow, out var status) != 0)
                {
                    break;
                }

                var isLeaf = i == segments.Length - 1;
                var kind = KindOfType(status.Type);
                if (kind == WorkspaceEntryKind.SymbolicLink)
                {
                    return LinkRefusal(current, relative, walked, segments[i]);
                }

                if (isLeaf)
                {
                    return kind == WorkspaceEntryKind.RegularFile
                        ? new WorkspacePathException(relative, found)
                        : new WorkspacePathException(relative, relative, kind, null, null, 1);
                }

                if (kind != WorkspaceEntryKind.Directory)
                {
                    return new WorkspacePathException(relative, walked, kind, null, null, 1);
                }

                var next = OpenAt(current, segments[i], ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
                if (next < 0)
                {
                    break;
                }

                if (owned)
                {
                    Close(current);
                }

                current = next;
                owned = true;
            }
        }
        finally
        {
            if (owned)
            {
                Close(current);
            }
        }

        return new WorkspacePathException(relative, found);
    }

    /// <summary>The refusal for a link named <paramref name="name"/> in <paramref name="folder"/>, the component <paramref name="component"/> of <paramref name="relative"/>, with its target read by readlinkat.</summary>
    private WorkspacePathException LinkRefusal(int folder, string relative, string component, string name)
    {
        var target = ReadLinkAt(folder, name);
        bool? leaves = null;
        if (target is not null)
        {
            // Resolved as text, for the message only: nothing is opened through the link.
            var full = FullPath(component);
            var resolved = Path.GetFullPath(target, Path.GetDirectoryName(full) ?? Root);
            leaves = !resolved.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }

        return new WorkspacePathException(relative, component, WorkspaceEntryKind.SymbolicLink, target, leaves, 1);
    }

    /// <summary>The staging folder's handle, opened beneath the root (owner-only when created) and kept; reopened on request.</summary>
    private SafeFileHandle StagingHandle(bool reopen)
    {
        lock (_stagingGate)
        {
            if (_staging is not null && !reopen)
            {
                return _staging;
            }

            using var root = Lease();
            var descriptor = OpenOrCreateFolder(root.Descriptor, StagingPath, StagingPath, new HashSet<string>(StringComparer.Ordinal), OwnerOnlyFolder);
            _staging?.Dispose();
            _staging = new SafeFileHandle(descriptor, ownsHandle: true);
            return _staging;
        }
    }

    private static WorkspaceEntryKind KindOfError(int error) =>
        error == NoEntry ? WorkspaceEntryKind.Missing
        : error == TooManyLinks || error == CrossDevice ? WorkspaceEntryKind.SymbolicLink
        : error == IsADirectory ? WorkspaceEntryKind.Directory
        : WorkspaceEntryKind.Other;

    private static WorkspaceEntryKind KindOfType(int type) => type switch
    {
        RegularType => WorkspaceEntryKind.RegularFile,
        DirectoryType => WorkspaceEntryKind.Directory,
        LinkType => WorkspaceEntryKind.SymbolicLink,
        _ => WorkspaceEntryKind.Other,
    };

    private static (string Parent, string Leaf) Split(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? ("", relative) : (relative[..slash], relative[(slash + 1)..]);
    }

    private RootLease Lease()
    {
        var added = false;
        _root!.DangerousAddRef(ref added);
        return new RootLease(_root, (int)_root.DangerousGetHandle());
    }

    /// <summary>Holds a reference on the root handle so a concurrent dispose cannot close it mid-operation.</summary>
    private readonly struct RootLease(SafeFileHandle handle, int descriptor) : IDisposable
    {
        public int Descriptor { get; } = descriptor;

        public void Dispose() => handle.DangerousRelease();
    }

    // Windows: by path, after checking every component for a reparse point. A swap between check and use is not prevented.
    private WorkspaceEntryKind WindowsKind(string relative)
    {
        var current = Root;
        var segments = relative.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            var kind = Paths.FileKindProbe.Of(current);
            var last = i == segments.Length - 1;
            switch (kind)
            {
                case Paths.FileKind.Missing:
                    return WorkspaceEntryKind.Missing;
                case Paths.FileKind.SymbolicLink:
                    return WorkspaceEntryKind.SymbolicLink;
                case Paths.FileKind.Directory when !last:
                    continue;
                case Paths.FileKind.Directory:
                    return WorkspaceEntryKind.Directory;
                case Paths.FileKind.RegularFile when last:
                    return WorkspaceEntryKind.RegularFile;
                default:
                    return WorkspaceEntryKind.Other;
            }
        }

        return WorkspaceEntryKind.Directory;
    }

    private string WindowsStaging()
    {
        var staging = FullPath(StagingPath);
        if (WindowsKind(StagingPath) is not (WorkspaceEntryKind.Directory or WorkspaceEntryKind.Missing))
        {
            throw new WorkspacePathException(StagingPath, WindowsKind(StagingPath));
        }

        Directory.CreateDirectory(staging);
        return staging;
    }

    private void WindowsEnsureFolders(string parent, ISet<string> touchedFolders)
    {
        if (parent.Length == 0)
        {
            return;
        }

        var kind = WindowsKind(parent);
        if (kind is WorkspaceEntryKind.Missing)
        {
            Directory.CreateDirectory(FullPath(parent));
            touchedFolders.Add(parent);
        }
        else if (kind is not WorkspaceEntryKind.Directory)
        {
            throw new WorkspacePathException(parent, kind);
        }
    }

    private List<string> WindowsList(Func<string, string, bool> descend, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((Root, ""));
        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, RecurseSubdirectories = false };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (full, relative) = pending.Pop();
            foreach (var info in new DirectoryInfo(full).EnumerateFileSystemInfos("*", options))
            {
                var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
                if (info.LinkTarget is not null)
                {
                    continue;
                }

                if (info is DirectoryInfo)
                {
                    if (descend(info.Name, path))
                    {
                        pending.Push((info.FullName, path));
                    }
                }
                else
                {
                    found.Add(path);
                }
            }
        }

        return found;
    }
}
