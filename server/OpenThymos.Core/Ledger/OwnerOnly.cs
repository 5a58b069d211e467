// Creates and tightens the runtime's own files and folders so that only their owner can read them.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// Everything the runtime keeps under <c>.thymos/</c>, in the key folder and in the state folder is owner-only:
/// folders 0700, files 0600. Files are created with that mode (the umask can only narrow it), and files or folders
/// left wider by an older version are narrowed when the runtime opens them. On Windows nothing is changed: the
/// folders inherit the user profile's ACLs.
/// </summary>
public static class OwnerOnly
{
    /// <summary>Read and write for the owner only (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Read, write and search for the owner only (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and its missing parents) as 0700; an existing folder is narrowed to 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        Narrow(path, FolderMode);
    }

    /// <summary>Creates an empty file as 0600 if it does not exist; an existing file is narrowed to 0600.</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            Narrow(path, FileMode);
        }
    }

    /// <summary>Options that open a file for writing and, if it is created, create it as 0600 (on Unix).</summary>
    public static FileStreamOptions WriteOptions(System.IO.FileMode mode, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Narrows an existing file or folder to <paramref name="mode"/> when it grants more (never widens; links are not followed).</summary>
    public static void Narrow(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null || !(info.Exists || Directory.Exists(path)))
        {
            return;
        }

        var current = File.GetUnixFileMode(path);
        if ((current & ~mode) != 0)
        {
            File.SetUnixFileMode(path, current & mode);
        }
    }
}
