// Decides whether a path an agent sends stays inside the workspace, by syntax first and then on disk.
using System.Buffers;
using System.Text;
using OpenThymos.Core.Paths;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.FileSystem;

/// <summary>
/// Confines candidate paths to one workspace root. Only normalized workspace-relative paths are
/// accepted, and no component under the root may be a symbolic link, because a link lets a write
/// land somewhere other than the path that policy and writ scopes were checked against.
/// <para>
/// Two layers. <see cref="CheckSyntax"/> is pure text and does no I/O: it is what the runtime checks before it
/// touches the disk. The on-disk verdict is never a walk by path string (a check followed by use by path is a
/// race an agent with a shell wins): it is <see cref="WorkspaceDirectory"/>'s resolution beneath the root handle,
/// whose typed refusal (<see cref="WorkspacePathException"/>: the component at fault and what it is) words every
/// message. The runtime gets that refusal from the very read, stat or rename it performs; <see cref="Check"/>
/// asks for it on its own (<see cref="WorkspaceDirectory.Inspect"/>) for callers that need a verdict alone.
/// </para>
/// </summary>
public sealed class PathConfinement : IDisposable
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

    private readonly WorkspaceDirectory _workspace;
    private readonly bool _ownsWorkspace;

    /// <summary>Creates a confinement for the given workspace root folder, with a handle of its own on the root.</summary>
    /// <param name="workspaceRoot">The workspace root; made absolute and stripped of trailing separators.</param>
    /// <exception cref="IOException">The root cannot be opened as a folder.</exception>
    public PathConfinement(string workspaceRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        _workspace = new WorkspaceDirectory(workspaceRoot);
        _ownsWorkspace = true;
    }

    /// <summary>Creates a confinement that resolves paths through an existing workspace root handle, which the caller keeps owning.</summary>
    public PathConfinement(WorkspaceDirectory workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        _workspace = workspace;
    }

    /// <summary>The absolute workspace root this instance confines to.</summary>
    public string Root => _workspace.Root;

    /// <summary>Closes the root handle when this instance opened it.</summary>
    public void Dispose()
    {
        if (_ownsWorkspace)
        {
            _workspace.Dispose();
        }
    }

    /// <summary>
    /// Checks a candidate path by syntax and then on disk, resolving it beneath the root handle without following
    /// links (<see cref="WorkspaceDirectory.Inspect"/>): a link, a special file or a folder on the way, a folder or
    /// special file at the end, or a file with other hard links is refused, naming the component.
    /// </summary>
    /// <param name="candidate">The path as the agent sent it.</param>
    /// <returns>An allowed result with the normalized path, or a refusal with a code and reason.</returns>
    public PathCheck Check(string candidate)
    {
        var syntax = CheckSyntax(candidate);
        if (!syntax.IsAllowed)
        {
            return syntax;
        }

        var (_, _, refusal) = _workspace.Inspect(candidate);
        return refusal is null ? syntax : PathCheck.Refused(refusal.Code, refusal.Message);
    }

    /// <summary>
    /// Checks a candidate path by syntax alone, with no I/O: the only check the runtime makes before the file
    /// operation itself, whose resolution beneath the root refuses links and special files (as a
    /// <see cref="WorkspacePathException"/> worded like <see cref="Check"/>).
    /// </summary>
    public static PathCheck CheckSyntax(string? candidate) =>
        SyntaxRefusal(candidate) ?? PathCheck.Allowed(new WorkspacePath(candidate!));

    private static PathCheck? SyntaxRefusal(string? candidate)
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

        // U+FFFD is what decoders leave where bytes were not valid UTF-8 or a surrogate was unpaired: the name the
        // agent meant was lost on the way, so the file it names is not the one the agent thinks.
        if (UnpairedSurrogateAt(candidate) >= 0 || candidate.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return PathCheck.Refused(PathRefusalCode.InvalidUnicode, $"Path '{shown}' is not valid Unicode (it holds an unpaired UTF-16 surrogate, shown as a \\u escape, or U+FFFD, left where bytes were not valid UTF-8), so it may not name the file you meant; send the path as valid UTF-8 text.");
        }

        // Refused rather than folded: a name holding an invisible character displays as another name (in the
        // review, in the editor, in a terminal), and no tool needs one in a file name. PathIdentity still folds
        // them away for patterns and paths from other sources.
        if (FirstInvisible(candidate) is { } invisible)
        {
            return PathCheck.Refused(PathRefusalCode.InvisibleCharacter, $"Path '{shown}' holds U+{invisible:X4} ({InvisibleName(invisible)}), an invisible character, so the name displays as another path; remove it and send the name exactly as it is displayed.");
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

        if (Disguise(segment) is { } disguise)
        {
            return PathCheck.Refused(PathRefusalCode.Disguised, $"Path '{shown}' spells '.', '..' or a folder separator in disguise ({disguise} in '{segment}'); tools that decode or normalize names would read another path. Use plain names with '/' between folders.");
        }

        var stem = segment.Split('.')[0].TrimEnd(' ');
        if (ReservedNames.Contains(stem))
        {
            return PathCheck.Refused(PathRefusalCode.ReservedName, $"Path '{shown}' uses '{segment}', a device name reserved on Windows; choose another file name.");
        }

        return null;
    }

    // Messages must stay on one readable line, and valid text, even when the path holds NUL, newlines, broken surrogates
    // or bidirectional controls: the one neutralizer for agent text decides how it is shown.
    private static string Show(string candidate) => VisibleText.Line(candidate);

    private static int? FirstInvisible(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (PathIdentity.IsDefaultIgnorable(rune.Value))
            {
                return rune.Value;
            }
        }

        return null;
    }

    private static string InvisibleName(int codePoint) => codePoint switch
    {
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x2060 => "WORD JOINER",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE",
        0x00AD => "SOFT HYPHEN",
        0x061C => "ARABIC LETTER MARK",
        >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 => "a bidirectional control",
        >= 0xFE00 and <= 0xFE0F or >= 0xE0100 and <= 0xE01EF => "a variation selector",
        _ => "a default-ignorable character",
    };

    /// <summary>The index of the first UTF-16 surrogate that is not half of a pair, or -1.</summary>
    private static int UnpairedSurrogateAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // Look-alikes of '/' and '\\' (fullwidth, small, division and fraction slashes, solidus symbols), listed by hand
    // because the build sets InvariantGlobalization, under which string normalization does not map them.
    private static readonly SearchValues<char> SlashLookAlikes = SearchValues.Create("\uFF0F\uFF3C\uFE68\u2215\u2216\u2044\u29F5\u29F8\u29F9");

    /// <summary>
    /// Why a segment is '.', '..' or a separator in disguise, or null. Look-alike dots (U+2024, U+2025, U+FE52,
    /// U+FF0E, which NFKC normalization and Windows' best-fit conversion turn into ASCII dots), look-alike slashes,
    /// overlong UTF-8 escapes and percent-decoding (up to three rounds, for double encoding) must not turn a
    /// name into a path step for some later tool.
    /// </summary>
    private static string? Disguise(string segment)
    {
        if (segment.AsSpan().IndexOfAny(SlashLookAlikes) >= 0)
        {
            return "a Unicode look-alike of '/' or '\\'";
        }

        var dotted = segment.Replace("\u2025", "..", StringComparison.Ordinal).Replace('\u2024', '.').Replace('\uFE52', '.').Replace('\uFF0E', '.');
        if (dotted != segment && IsPathStep(dotted))
        {
            return "Unicode look-alikes of '.'";
        }

        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        if (segment.Contains("%c0", StringComparison.OrdinalIgnoreCase) || segment.Contains("%c1", StringComparison.OrdinalIgnoreCase)
            || segment.Contains("%e0%80", StringComparison.OrdinalIgnoreCase) || segment.Contains("%f0%80", StringComparison.OrdinalIgnoreCase))
        {
            return "an overlong UTF-8 percent-escape";
        }

        var decoded = segment;
        for (var round = 0; round < 3 && decoded.Contains('%', StringComparison.Ordinal); round++)
        {
            decoded = Uri.UnescapeDataString(decoded);
            if (IsPathStep(decoded) || decoded.Contains('\0', StringComparison.Ordinal))
            {
                return "percent-encoding";
            }
        }

        return null;
    }

    private static bool IsPathStep(string name) =>
        name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal);

    private static string Shorten(string shown) => shown.Length <= 80 ? shown : shown[..77] + "...";
}
