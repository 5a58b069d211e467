// One file's target state in an atomic apply.
namespace OpenThymos.Core.Apply;

/// <summary>What one file must become: new bytes, or absent.</summary>
/// <param name="Path">Workspace-relative path ('/' separators), already confined.</param>
/// <param name="Content">The new bytes, or null to delete the file.</param>
/// <param name="Mode">The Unix mode to give a new or replaced file; null keeps the existing mode (or the default for new files).</param>
public sealed record PlannedFileWrite(string Path, byte[]? Content, UnixFileMode? Mode = null);
