// libc calls to fsync a directory, which .NET does not expose.
using System.Runtime.InteropServices;

namespace OpenThymos.Core.Apply;

/// <summary>Opens a directory read-only and fsyncs it so that renames and unlinks inside it are durable.</summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyDirectoryFlags = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    /// <summary>Opens the directory; returns -1 on failure.</summary>
    public static int Open(string path) => OpenNative(path, ReadOnlyDirectoryFlags);

    /// <summary>fsync(2).</summary>
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    /// <summary>close(2).</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);
}
