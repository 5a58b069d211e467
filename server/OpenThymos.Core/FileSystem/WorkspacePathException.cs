// The typed refusal a workspace file operation raises when its path goes through a link or names something other than a regular file.
using OpenThymos.Core.Paths;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.FileSystem;

/// <summary>
/// A workspace file operation refused a path because, at the instant it was resolved beneath the workspace root,
/// the path (or a folder on the way) was a symbolic link, not a folder, not a regular file, or a file with other
/// hard links. It carries the component at fault and what was found there, so the message names them; it is the
/// only place these on-disk refusals are worded (<see cref="PathConfinement"/> shows the same sentences). An
/// <see cref="IOException"/>, so the apply path records it as an execution failure like any other I/O error.
/// </summary>
public sealed class WorkspacePathException : IOException
{
    /// <summary>Creates the refusal for a path and what was found there, without naming a component on the way.</summary>
    public WorkspacePathException(string relativePath, WorkspaceEntryKind found)
        : this(relativePath, null, found, null, null, 1)
    {
    }

    /// <summary>Creates the refusal for a path, the component at fault and what was found there.</summary>
    /// <param name="relativePath">The workspace-relative path the operation was asked for.</param>
    /// <param name="component">The workspace-relative path of the component at fault: the path itself, or a folder on its way; null when it could not be told.</param>
    /// <param name="found">
    /// What the component is. <see cref="WorkspaceEntryKind.RegularFile"/> means a file on the way (used as a folder),
    /// or, for the path itself, a file with <paramref name="linkCount"/> hard links.
    /// </param>
    /// <param name="linkTarget">The link's target as stored, when <paramref name="found"/> is a link and it could be read.</param>
    /// <param name="linkLeavesWorkspace">When a link: true if its target (resolved as text, for the message only) is outside the workspace.</param>
    /// <param name="linkCount">The number of hard links of the path itself, when it is a regular file.</param>
    public WorkspacePathException(string relativePath, string? component, WorkspaceEntryKind found, string? linkTarget, bool? linkLeavesWorkspace, long linkCount)
        : base(MessageFor(relativePath, component, found, linkTarget, linkLeavesWorkspace, linkCount))
    {
        RelativePath = relativePath;
        Component = component ?? relativePath;
        Found = found;
        LinkTarget = linkTarget;
        LinkCount = linkCount;
        Code = CodeFor(found, Component == relativePath, linkCount);
    }

    /// <summary>The workspace-relative path that was refused.</summary>
    public string RelativePath { get; }

    /// <summary>The workspace-relative path of the component at fault: <see cref="RelativePath"/> itself or a folder on its way.</summary>
    public string Component { get; }

    /// <summary>What was found at <see cref="Component"/>.</summary>
    public WorkspaceEntryKind Found { get; }

    /// <summary>The target of the link at <see cref="Component"/>, as stored; null when it is not a link or could not be read.</summary>
    public string? LinkTarget { get; }

    /// <summary>The hard link count of the path when it is a regular file with more than one name; otherwise 1.</summary>
    public long LinkCount { get; }

    /// <summary>The stable refusal code, the same <see cref="PathConfinement"/> reports for the path.</summary>
    public PathRefusalCode Code { get; }

    private static PathRefusalCode CodeFor(WorkspaceEntryKind found, bool isLeaf, long linkCount) => found switch
    {
        WorkspaceEntryKind.SymbolicLink => PathRefusalCode.SymbolicLink,
        WorkspaceEntryKind.RegularFile when isLeaf && linkCount > 1 => PathRefusalCode.HardLink,
        _ => PathRefusalCode.NotARegularFile,
    };

    private static string MessageFor(string path, string? component, WorkspaceEntryKind found, string? linkTarget, bool? leaves, long linkCount)
    {
        var isLeaf = component is null || path == component;

        // The target is the agent's text (it made the link): shown on one line with control characters neutralized.
        var target = linkTarget is null ? "?" : VisibleText.Line(linkTarget);
        return found switch
        {
            WorkspaceEntryKind.SymbolicLink when component is not null && leaves == true =>
                $"Path '{path}' leaves the workspace through the symbolic link '{component}' (to '{target}'); only files inside the workspace can be edited.",
            WorkspaceEntryKind.SymbolicLink when component is not null && leaves == false =>
                $"Path '{path}' goes through the symbolic link '{component}' (to '{target}'); writing through links would bypass path scopes, so edit the link's target path directly.",
            WorkspaceEntryKind.SymbolicLink =>
                $"Path '{path}' is or goes through a symbolic link (it may have been swapped in while OpenThymos worked), and OpenThymos never follows links in the workspace; replace the link with a real folder or file and try again.",
            WorkspaceEntryKind.Directory when isLeaf =>
                $"Path '{path}' is a directory, not a file; name a file inside it such as '{path}/index.ts'.",
            WorkspaceEntryKind.RegularFile when isLeaf && linkCount > 1 =>
                $"Path '{path}' is a hard link: {linkCount} names share its contents, possibly outside the workspace, so reading or editing it could reach them. Ask the user to replace it with a plain copy.",
            WorkspaceEntryKind.RegularFile when !isLeaf =>
                $"Path '{path}' goes through '{component}', which is a file, not a folder; choose a path whose folders are folders.",
            WorkspaceEntryKind.Other when component is not null =>
                $"Path '{component}' is a device, FIFO or socket, not a regular file; only regular files can be edited.",
            _ =>
                $"Path '{path}' is not a regular file, or a folder on its way is not a folder; only regular files in real folders can be read or changed. Remove what is there and try again.",
        };
    }
}
