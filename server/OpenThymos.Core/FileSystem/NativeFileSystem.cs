// The C library and kernel calls behind WorkspaceDirectory: openat2, openat, mkdirat, renameat, unlinkat, statx, readdir.
using System.Runtime.InteropServices;

namespace OpenThymos.Core.FileSystem;

/// <summary>
/// AOT-safe P/Invoke declarations (blittable arguments only) and the per-platform constants they need. Linux
/// x86-64 and arm64 share the generic open flags; macOS has its own values. Nothing here is used on Windows.
/// </summary>
internal static unsafe partial class NativeFileSystem
{
    private const string LibC = "libc";

    public static readonly bool IsLinux = OperatingSystem.IsLinux();

    // open(2) flags.
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public static readonly int Create = IsLinux ? 0x40 : 0x200;
    public static readonly int Exclusive = IsLinux ? 0x80 : 0x800;
    public static readonly int Truncate = IsLinux ? 0x200 : 0x400;
    public static readonly int NonBlocking = IsLinux ? 0x800 : 0x4;
    public static readonly int DirectoryOnly = IsLinux ? 0x10000 : 0x100000;
    public static readonly int NoFollow = IsLinux ? 0x20000 : 0x100;
    public static readonly int CloseOnExec = IsLinux ? 0x80000 : 0x1000000;
    public static readonly int PathOnly = IsLinux ? 0x200000 : 0;

    // *at(2) flags.
    public static readonly int AtFdCwd = IsLinux ? -100 : -2;
    public static readonly int AtSymlinkNoFollow = IsLinux ? 0x100 : 0x20;
    public static readonly int AtEmptyPath = 0x1000;

    // errno values.
    public static readonly int NoEntry = 2;
    public static readonly int Interrupted = 4;
    public static readonly int NotPermitted = 1;
    public static readonly int Exists = 17;
    public static readonly int NotADirectory = 20;
    public static readonly int IsADirectory = 21;
    public static readonly int InvalidArgument = 22;
    public static readonly int ArgumentListTooLong = 7;
    public static readonly int CrossDevice = 18;
    public static readonly int TryAgain = IsLinux ? 11 : 35;
    public static readonly int NotImplemented = IsLinux ? 38 : 78;
    public static readonly int TooManyLinks = IsLinux ? 40 : 62;

    // openat2(2) RESOLVE_* flags and the syscall number (the same on every Linux architecture since 5.6).
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;
    public const long Openat2SyscallNumber = 437;

    // File type bits of st_mode / stx_mode, and d_type values: the same on Linux and macOS.
    public const int TypeMask = 0xF000;
    public const int RegularType = 0x8000;
    public const int DirectoryType = 0x4000;
    public const int LinkType = 0xA000;
    public const byte DirentUnknown = 0;
    public const byte DirentDirectory = 4;
    public const byte DirentRegular = 8;
    public const byte DirentLink = 10;

    /// <summary>struct open_how of openat2(2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>What stat says about a file: mode (type and permission bits), hard link count, size (-1 when unknown) and identity.</summary>
    public readonly record struct FileStatus(int Mode, long LinkCount, long Size, ulong Inode, ulong Device)
    {
        /// <summary>The S_IF* type bits.</summary>
        public int Type => Mode & TypeMask;
    }

    /// <summary>The last errno of a call declared with SetLastError.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>openat2(2) through syscall(2); Linux only.</summary>
    public static int Openat2(int directory, string path, ulong flags, ulong mode, ulong resolve)
    {
        var how = new OpenHow { Flags = flags, Mode = mode, Resolve = resolve };
        var bytes = Utf8(path);
        fixed (byte* pathBytes = bytes)
        {
            return (int)Syscall(Openat2SyscallNumber, directory, pathBytes, &how, (nuint)sizeof(OpenHow));
        }
    }

    /// <summary>openat(2) with a mode (used only with O_CREAT).</summary>
    public static int OpenAt(int directory, string path, int flags, uint mode)
    {
        var bytes = Utf8(path);
        fixed (byte* pathBytes = bytes)
        {
            // On Apple arm64 a variadic argument travels on the stack, so pad the five remaining argument registers.
            return OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64
                ? OpenAtApple(directory, pathBytes, flags, 0, 0, 0, 0, 0, mode)
                : OpenAtNative(directory, pathBytes, flags, mode);
        }
    }

    /// <summary>mkdirat(2).</summary>
    public static int MakeDirectoryAt(int directory, string name, uint mode)
    {
        fixed (byte* bytes = Utf8(name))
        {
            return MakeDirectoryAtNative(directory, bytes, mode);
        }
    }

    /// <summary>renameat(2).</summary>
    public static int RenameAt(int fromDirectory, string fromName, int toDirectory, string toName)
    {
        fixed (byte* from = Utf8(fromName))
        fixed (byte* to = Utf8(toName))
        {
            return RenameAtNative(fromDirectory, from, toDirectory, to);
        }
    }

    /// <summary>unlinkat(2); never follows a link.</summary>
    public static int UnlinkAt(int directory, string name, int flags)
    {
        fixed (byte* bytes = Utf8(name))
        {
            return UnlinkAtNative(directory, bytes, flags);
        }
    }

    /// <summary>The mode (type and permission bits), link count, size and identity of an open descriptor (name "" with AT_EMPTY_PATH) or of a name in a folder.</summary>
    public static int Status(int directory, string name, int flags, out FileStatus status)
    {
        status = default;
        var buffer = stackalloc byte[512];
        int result;
        fixed (byte* bytes = Utf8(name))
        {
            if (IsLinux)
            {
                // statx's buffer is the same on every architecture: stx_nlink u32 @16, stx_mode u16 @28, stx_size u64 @40.
                const uint basicStats = 0x7FF;
                result = StatxNative(directory, bytes, flags, basicStats, buffer);
                if (result == 0)
                {
                    // stx_ino u64 @32, stx_dev_major u32 @136, stx_dev_minor u32 @140.
                    status = new FileStatus(*(ushort*)(buffer + 28), *(uint*)(buffer + 16), *(long*)(buffer + 40), *(ulong*)(buffer + 32), ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140));
                }
            }
            else
            {
                // Darwin's struct stat (64-bit inodes): dev i32 @0, mode u16 @4, nlink u16 @6, ino u64 @8; the size is not needed there.
                // Darwin has no AT_EMPTY_PATH: an empty name means the descriptor itself, so fstat(2).
                result = name.Length == 0 ? FstatNative(directory, buffer) : FstatatNative(directory, bytes, buffer, flags & ~AtEmptyPath);
                if (result == 0)
                {
                    status = new FileStatus(*(ushort*)(buffer + 4), *(ushort*)(buffer + 6), -1, *(ulong*)(buffer + 8), (ulong)*(uint*)buffer);
                }
            }
        }

        return result;
    }

    /// <summary>readlinkat(2): the target of the link <paramref name="name"/> in a folder, as stored; null when it is not a link or cannot be read.</summary>
    public static string? ReadLinkAt(int directory, string name)
    {
        var buffer = stackalloc byte[4096];
        long length;
        fixed (byte* bytes = Utf8(name))
        {
            length = (long)ReadLinkAtNative(directory, bytes, buffer, 4096);
        }

        return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)length);
    }

    /// <summary>The entries of an open folder (the descriptor is duplicated, so the caller still owns and closes its own).</summary>
    public static List<(string Name, byte Type)>? ReadDirectory(int directory)
    {
        var copy = Dup(directory);
        if (copy < 0)
        {
            return null;
        }

        var stream = FdOpenDir(copy);
        if (stream == 0)
        {
            Close(copy);
            return null;
        }

        var entries = new List<(string Name, byte Type)>();
        try
        {
            // struct dirent: Linux 64-bit d_type @18, d_name @19; macOS arm64 (64-bit inodes) d_type @20, d_name @21.
            var (typeOffset, nameOffset) = IsLinux ? (18, 19) : (20, 21);
            while (true)
            {
                var entry = (byte*)ReadDir(stream);
                if (entry is null)
                {
                    break;
                }

                var name = Marshal.PtrToStringUTF8((nint)(entry + nameOffset)) ?? "";
                if (name is "." or "..")
                {
                    continue;
                }

                entries.Add((name, entry[typeOffset]));
            }
        }
        finally
        {
            CloseDir(stream);
        }

        return entries;
    }

    /// <summary>fsync(2).</summary>
    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    /// <summary>close(2).</summary>
    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    /// <summary>fchmod(2).</summary>
    [LibraryImport(LibC, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int descriptor, uint mode);

    [LibraryImport(LibC, EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int descriptor);

    [LibraryImport(LibC, EntryPoint = "fdopendir", SetLastError = true)]
    private static partial nint FdOpenDir(int descriptor);

    [LibraryImport(LibC, EntryPoint = "readdir", SetLastError = true)]
    private static partial nint ReadDir(nint stream);

    [LibraryImport(LibC, EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(nint stream);

    [LibraryImport(LibC, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport(LibC, EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtNative(int directory, byte* path, int flags, uint mode);

    [LibraryImport(LibC, EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtApple(int directory, byte* path, int flags, long pad1, long pad2, long pad3, long pad4, long pad5, uint mode);

    [LibraryImport(LibC, EntryPoint = "mkdirat", SetLastError = true)]
    private static partial int MakeDirectoryAtNative(int directory, byte* path, uint mode);

    [LibraryImport(LibC, EntryPoint = "renameat", SetLastError = true)]
    private static partial int RenameAtNative(int fromDirectory, byte* fromPath, int toDirectory, byte* toPath);

    [LibraryImport(LibC, EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAtNative(int directory, byte* path, int flags);

    [LibraryImport(LibC, EntryPoint = "readlinkat", SetLastError = true)]
    private static partial nint ReadLinkAtNative(int directory, byte* path, byte* buffer, nuint size);

    [LibraryImport(LibC, EntryPoint = "statx", SetLastError = true)]
    private static partial int StatxNative(int directory, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "fstat", SetLastError = true)]
    private static partial int FstatNative(int descriptor, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "fstatat", SetLastError = true)]
    private static partial int FstatatNative(int directory, byte* path, byte* buffer, int flags);

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
