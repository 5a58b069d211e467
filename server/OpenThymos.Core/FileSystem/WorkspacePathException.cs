// The error a workspace file operation raises when its path goes through a link or names something other than a regular file.
namespace OpenThymos.Core.FileSystem;

/// <summary>
/// A workspace file operation refused a path because, at the instant it was resolved beneath the workspace root,
/// the path (or a folder on the way) was a symbolic link, not a folder, or not a regular file. An
/// <see cref="IOException"/>, so the apply path records it as an execution failure like any other I/O error.
/// </summary>
public sealed class WorkspacePathException : IOException
{
    /// <summary>Creates the exception for a path and what was found there.</summary>
    public WorkspacePathException(string relativePath, WorkspaceEntryKind found)
        : base(MessageFor(relativePath, found))
    {
        RelativePath = relativePath;
        Found = found;
    }

    /// <summary>The workspace-relative path that was refused.</summary>
    public string RelativePath { get; }

    /// <summary>What was found on the way.</summary>
    public WorkspaceEntryKind Found { get; }

    private static string MessageFor(string path, WorkspaceEntryKind found) => found switch
    {
        WorkspaceEntryKind.SymbolicLink => $"'{path}' is or goes through a symbolic link (it may have been swapped in while OpenThymos worked), and OpenThymos never follows links in the workspace; replace the link with a real folder or file and try again.",
        WorkspaceEntryKind.Directory => $"'{path}' is a folder, not a file; name a file inside it.",
        _ => $"'{path}' is not a regular file, or a folder on its way is not a folder; only regular files in real folders can be read or changed. Remove what is there and try again.",
    };
}
