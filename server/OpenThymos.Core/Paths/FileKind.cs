// What kind of filesystem object a path names, without following a final symbolic link.
using System.Runtime.InteropServices;

namespace OpenThymos.Core.Paths;

/// <summary>The kinds of filesystem object that confinement needs to tell apart.</summary>
internal enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    Other,
}

/// <summary>
/// Classifies a path like <c>lstat</c> does. .NET's public API reports FIFOs, sockets and devices
/// as ordinary files on Unix, so there we ask the runtime's own native shim (libSystem.Native,
/// shipped with every .NET runtime) for the file type bits.
/// </summary>
internal static partial class FileKindProbe
{
    // PAL constants from libSystem.Native; they equal the POSIX S_IF* values.
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int LinkType = 0xA000;

    // FileStatus starts with int32 Flags then int32 Mode; the buffer is larger than the struct
    // so that growth of later fields in future runtimes cannot overrun it.
    private const int StatusBufferSize = 512;

    public static FileKind Of(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return OfWindows(fullPath);
        }

        var buffer = new byte[StatusBufferSize];
        int result;
        try
        {
            result = NativeMethods.LStat(fullPath, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Hosts that link the shim statically (single-file, NativeAOT) may not expose it by name.
            // Fall back to the managed view, which cannot tell FIFOs and devices from files.
            return OfManaged(fullPath);
        }

        if (result != 0)
        {
            // Any failure (ENOENT, ENOTDIR) means there is nothing to confine at this path.
            return FileKind.Missing;
        }

        var mode = BitConverter.ToInt32(buffer, 4) & TypeMask;
        return mode switch
        {
            RegularType => FileKind.RegularFile,
            DirectoryType => FileKind.Directory,
            LinkType => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
    }

    private static FileKind OfManaged(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        return Directory.Exists(fullPath) ? FileKind.Directory : info.Exists ? FileKind.RegularFile : FileKind.Missing;
    }

    private static FileKind OfWindows(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        if (!info.Exists && !Directory.Exists(fullPath))
        {
            return FileKind.Missing;
        }

        var attributes = info.Attributes;
        if ((attributes & FileAttributes.Directory) != 0)
        {
            return FileKind.Directory;
        }

        return (attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0 ? FileKind.Other : FileKind.RegularFile;
    }

    private static class NativeMethods
    {
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
    }
}
