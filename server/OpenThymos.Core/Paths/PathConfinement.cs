// Decides whether a path an agent sends stays inside the workspace, by syntax first and then on disk.
using System.Text;

namespace OpenThymos.Core.Paths;

/// <summary>
/// Confines candidate paths to one workspace root. Only normalized workspace-relative paths are
/// accepted, and no component under the root may be a symbolic link, because a link lets a write
/// land somewhere other than the path that policy and writ scopes were checked against.
/// </summary>
public sealed class PathConfinement
{
    /// <summary>The largest accepted path, in bytes of UTF-8 (Linux PATH_MAX).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>The largest accepted segment, in bytes of UTF-8 (common NAME_MAX).</summary>
    public const int MaxSegmentBytes = 255;

    private const string Example = "send a path relative to the workspace root such as 'src/app.ts'";

    // Windows treats these names as devices in every folder and with any extension, so a workspace
    // shared with Windows users must never contain them.
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private readonly string _root;

    /// <summary>Creates a confinement for the given workspace root folder.</summary>
    /// <param name="workspaceRoot">The workspace root; made absolute and stripped of trailing separators.</param>
    public PathConfinement(string workspaceRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspaceRoot));
    }

    /// <summary>The absolute workspace root this instance confines to.</summary>
    public string Root => _root;

    /// <summary>Checks a candidate path by syntax and then against the filesystem under the root.</summary>
    /// <param name="candidate">The path as the agent sent it.</param>
    /// <returns>An allowed result with the normalized path, or a refusal with a code and reason.</returns>
    public PathCheck Check(string candidate)
    {
        var syntax = CheckSyntax(candidate);
        return syntax ?? CheckOnDisk(candidate);
    }

    private static PathCheck? CheckSyntax(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return PathCheck.Refused(PathRefusalCode.Empty, $"The path is empty; {Example}.");
        }

        var shown = Show(candidate);
        if (candidate.Contains('\0', StringComparison.Ordinal))
        {
            return PathCheck.Refused(PathRefusalCode.NulByte, $"Path '{shown}' contains a NUL character, which no file name may hold; remove it and {Example}.");
        }

        if (candidate.Any(char.IsControl))
        {
            return PathCheck.Refused(PathRefusalCode.ControlCharacter, $"Path '{shown}' contains a control character (such as a newline or tab); use a file name made of printable characters.");
        }

        if (candidate.Contains('\\', StringComparison.Ordinal))
        {
            return PathCheck.Refused(PathRefusalCode.Backslash, $"Path '{shown}' contains a backslash; separate folders with '/' as in 'src/app.ts'.");
        }

        if (candidate[0] == '/' || (candidate.Length >= 2 && char.IsAsciiLetter(candidate[0]) && candidate[1] == ':'))
        {
            return PathCheck.Refused(PathRefusalCode.Absolute, $"Path '{shown}' is absolute; {Example}.");
        }

        if (Encoding.UTF8.GetByteCount(candidate) > MaxPathBytes)
        {
            return PathCheck.Refused(PathRefusalCode.TooLong, $"Path '{Shorten(shown)}' is longer than {MaxPathBytes} bytes; use a shorter path.");
        }

        foreach (var segment in candidate.Split('/'))
        {
            var refusal = CheckSegment(shown, segment);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return null;
    }

    private static PathCheck? CheckSegment(string shown, string segment)
    {
        if (segment.Length == 0)
        {
            return PathCheck.Refused(PathRefusalCode.EmptySegment, $"Path '{shown}' has an empty segment ('//' or a trailing '/'); name a file such as 'src/app.ts'.");
        }

        if (segment == "..")
        {
            return PathCheck.Refused(PathRefusalCode.ParentSegment, $"Path '{shown}' leaves the workspace through '..'; {Example}.");
        }

        if (segment == ".")
        {
            return PathCheck.Refused(PathRefusalCode.DotSegment, $"Path '{shown}' contains a '.' segment; drop it and {Example}.");
        }

        if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
        {
            return PathCheck.Refused(PathRefusalCode.SegmentTooLong, $"Path '{Shorten(shown)}' has a segment longer than {MaxSegmentBytes} bytes; use shorter names.");
        }

        var stem = segment.Split('.')[0].TrimEnd(' ');
        if (ReservedNames.Contains(stem))
        {
            return PathCheck.Refused(PathRefusalCode.ReservedName, $"Path '{shown}' uses '{segment}', a device name reserved on Windows; choose another file name.");
        }

        return null;
    }

    private PathCheck CheckOnDisk(string candidate)
    {
        var segments = candidate.Split('/');
        var current = _root;
        for (var i = 0; i < segments.Length; i++)
        {
            current = current + Path.DirectorySeparatorChar + segments[i];
            var relative = string.Join('/', segments, 0, i + 1);
            var kind = FileKindProbe.Of(current);
            var isLast = i == segments.Length - 1;
            switch (kind)
            {
                case FileKind.Missing:
                    // Nothing further exists, so nothing further can be a link; the write would create it.
                    return PathCheck.Allowed(new WorkspacePath(candidate));
                case FileKind.SymbolicLink:
                    return RefuseLink(candidate, relative, current);
                case FileKind.Directory when isLast:
                    return PathCheck.Refused(PathRefusalCode.NotARegularFile, $"Path '{candidate}' is a directory, not a file; name a file inside it such as '{candidate}/index.ts'.");
                case FileKind.Directory:
                    continue;
                case FileKind.RegularFile when isLast:
                    return PathCheck.Allowed(new WorkspacePath(candidate));
                case FileKind.RegularFile:
                    return PathCheck.Refused(PathRefusalCode.NotARegularFile, $"Path '{candidate}' goes through '{relative}', which is a file, not a folder; choose a path whose folders are folders.");
                default:
                    return PathCheck.Refused(PathRefusalCode.NotARegularFile, $"Path '{(isLast ? candidate : relative)}' is a device, FIFO or socket, not a regular file; only regular files can be edited.");
            }
        }

        return PathCheck.Allowed(new WorkspacePath(candidate));
    }

    private PathCheck RefuseLink(string candidate, string relative, string linkPath)
    {
        var target = new FileInfo(linkPath).LinkTarget ?? "?";
        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(linkPath) ?? _root);
        var inside = resolved.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var reason = inside
            ? $"Path '{candidate}' goes through the symbolic link '{relative}' (to '{target}'); writing through links would bypass path scopes, so edit the link's target path directly."
            : $"Path '{candidate}' leaves the workspace through the symbolic link '{relative}' (to '{target}'); only files inside the workspace can be edited.";
        return PathCheck.Refused(PathRefusalCode.SymbolicLink, reason);
    }

    // Messages must stay on one readable line even when the path holds NUL or newline characters.
    private static string Show(string candidate)
    {
        var builder = new StringBuilder(candidate.Length);
        foreach (var c in candidate)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }

    private static string Shorten(string shown) => shown.Length <= 80 ? shown : shown[..77] + "...";
}
