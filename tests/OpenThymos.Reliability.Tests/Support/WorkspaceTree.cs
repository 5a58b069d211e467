// A fingerprint of every file, folder and link under a folder, to prove a hostile run changed nothing on disk.
using System.Security.Cryptography;
using System.Text;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>Hashes a folder tree: names, kinds, link targets and file bytes, without following links.</summary>
public static class WorkspaceTree
{
    /// <summary>
    /// One line per entry, sorted, then SHA-256 over them. The ledger's own files (which the rejections
    /// legitimately grow) are left out; <paramref name="specialFiles"/> (FIFOs, devices) are named, never opened;
    /// entries under <paramref name="excludedFolder"/> (an honest agent's work, checked on its own) are left out.
    /// </summary>
    public static string Fingerprint(string root, IReadOnlySet<string> specialFiles, string? excludedFolder = null)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, ReturnSpecialDirectories = false }))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (IsLedgerFile(relative) || (excludedFolder is not null && (relative == excludedFolder || relative.StartsWith(excludedFolder + "/", StringComparison.Ordinal))))
            {
                continue;
            }
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                lines.Add($"link {relative} -> {target}");
            }
            else if (Directory.Exists(path))
            {
                lines.Add($"dir {relative}");
            }
            else if (specialFiles.Contains(path))
            {
                lines.Add($"special {relative}");
            }
            else
            {
                lines.Add($"file {relative} {File.GetUnixFileMode(path)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    // ledger.db and its lock, log and anchor files grow with every ledgered rejection; the ledger's head checks them.
    // The applied-through mark (and its temp file) advances with every honest commit; the redo recovery tests check it.
    private static bool IsLedgerFile(string relative) =>
        relative.Contains(".thymos/ledger", StringComparison.Ordinal) || relative.Contains(".thymos/staging", StringComparison.Ordinal)
        || relative.Contains(".thymos/applied-through", StringComparison.Ordinal);
}
