// Per-file before/after record shared by commit and revert payloads.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>
/// One file's change as applied: content hashes of the exact bytes before and after (null when the
/// file did not exist before, or does not exist after). Both versions are stored as blobs.
/// </summary>
/// <param name="Path">Workspace-relative path with '/' separators.</param>
/// <param name="Before">Content hash before the change, or null for a created file.</param>
/// <param name="After">Content hash after the change, or null for a deleted file.</param>
/// <param name="Mode">The Unix file mode after the change (octal digits as an integer of its value), or null.</param>
public sealed record FileChangeRecord(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("before")] string? Before,
    [property: JsonPropertyName("after")] string? After,
    [property: JsonPropertyName("mode")] int? Mode);
