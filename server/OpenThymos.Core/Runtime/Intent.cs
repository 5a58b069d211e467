// What an agent asks for: file changes, each against the file version it read.
namespace OpenThymos.Core.Runtime;

/// <summary>An agent's request to change files, compiled by the runtime into a proposal.</summary>
/// <param name="Nonce">A value unique per submission under the writ; a reused nonce with a different intent is refused as a replay.</param>
/// <param name="Description">What the change is for, in the agent's words.</param>
/// <param name="Files">The file changes; at least one.</param>
public sealed record Intent(string Nonce, string Description, IReadOnlyList<FileIntent> Files);

/// <summary>The kinds of file change an intent may ask for.</summary>
public enum FileIntentKind
{
    /// <summary>Create a file that does not exist.</summary>
    Create,

    /// <summary>Change an existing file's content.</summary>
    Modify,

    /// <summary>Delete an existing file.</summary>
    Delete,

    /// <summary>Move an existing file to a new path that does not exist.</summary>
    Rename,
}

/// <summary>
/// One file change. A modify gives exactly one of <see cref="Content"/>, <see cref="ContentBase64"/>,
/// <see cref="Edits"/> (search/replace blocks) or <see cref="UnifiedDiff"/>. Modify, delete and rename
/// must carry <see cref="BaseHash"/>: the hash of the file version the agent read.
/// </summary>
/// <param name="Kind">Create, modify, delete or rename.</param>
/// <param name="Path">The workspace-relative path (the new path for a rename).</param>
/// <param name="FromPath">For a rename, the existing path.</param>
/// <param name="BaseHash">Hash of the version the agent read (required except for create).</param>
/// <param name="Content">Full new text content.</param>
/// <param name="ContentBase64">Full new binary content, base64.</param>
/// <param name="Edits">Search/replace blocks against the base text.</param>
/// <param name="UnifiedDiff">A unified diff against the base text.</param>
public sealed record FileIntent(
    FileIntentKind Kind,
    string Path,
    string? FromPath = null,
    string? BaseHash = null,
    string? Content = null,
    string? ContentBase64 = null,
    IReadOnlyList<Text.SearchReplaceBlock>? Edits = null,
    string? UnifiedDiff = null);
