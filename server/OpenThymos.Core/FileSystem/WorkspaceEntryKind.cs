// What a workspace path names when resolved beneath the root without following links.
namespace OpenThymos.Core.FileSystem;

/// <summary>What a workspace-relative path names, resolved beneath the root by <see cref="WorkspaceDirectory"/>.</summary>
public enum WorkspaceEntryKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file (the only kind OpenThymos reads, hashes or replaces).</summary>
    RegularFile,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>The path is, or goes through, a symbolic link (or leaves the root): never followed.</summary>
    SymbolicLink,

    /// <summary>A FIFO, socket or device, or a path whose folders are not all folders.</summary>
    Other,
}
