// The refusal to read a workspace file larger than OpenThymos reads, hashes under its lock or records.
namespace OpenThymos.Core.FileSystem;

/// <summary>
/// A workspace file is larger than <see cref="WorkspaceDirectory.MaxFileBytes"/>, so it is not read (an agent's shell
/// can make a sparse file of any size in an instant: reading it would exhaust memory, and hashing it would hold the
/// runtime for minutes). Nothing larger is ever recorded in the ledger, so such a file never equals a recorded state.
/// An <see cref="IOException"/>, so agent-facing reads turn it into a refusal like any other I/O error.
/// </summary>
public sealed class WorkspaceFileTooLargeException : IOException
{
    /// <summary>Creates the refusal for a path and the size found.</summary>
    public WorkspaceFileTooLargeException(string relativePath, long size)
        : base($"'{relativePath}' is {Describe(size)}, over the {Describe(WorkspaceDirectory.MaxFileBytes)} OpenThymos reads, so it cannot be read or changed through OpenThymos. "
            + "Leave it to a human (edit it by hand), or keep it out of agents' writs.")
    {
        RelativePath = relativePath;
        Size = size;
    }

    /// <summary>The workspace-relative path of the file.</summary>
    public string RelativePath { get; }

    /// <summary>The size found (at least the limit plus one byte when the file grew while it was read).</summary>
    public long Size { get; }

    private static string Describe(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MiB";
}
