// libc calls to fsync a directory, which .NET does not expose.
using System.Runtime.InteropServices;

namespace OpenThymos.Core.Apply;

/// <summary>Opens a directory (or file) read-only and fsyncs it so that renames and unlinks inside it (or its data) are durable.</summary>
internal static partial class DirectorySync
{
    /// <summary>O_RDONLY | O_DIRECTORY on Linux.</summary>
    public const int ReadOnlyDirectoryFlags = 0x10000;

    /// <summary>O_RDONLY: fsync(2) on a read-only descriptor flushes the file's data and metadata too.</summary>
    public const int ReadOnlyFileFlags = 0;

    /// <summary>Opens the directory; returns -1 on failure.</summary>
    public static int Open(string path) => OpenNative(path, ReadOnlyDirectoryFlags);

    /// <summary>Opens a path with the given flags; returns -1 on failure.</summary>
    public static int Open(string path, int flags) => OpenNative(path, flags);

    /// <summary>fsync(2).</summary>
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    /// <summary>close(2).</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);
}
