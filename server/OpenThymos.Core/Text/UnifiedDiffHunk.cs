// One parsed "@@" section of a unified diff, with its body lines.
namespace OpenThymos.Core.Text;

/// <summary>A parsed unified diff hunk. Line numbers are as written in the header (1-based).</summary>
internal sealed class UnifiedDiffHunk(string header, int oldStart, int oldCount, int newCount)
{
    /// <summary>The header line as written, for messages.</summary>
    public string Header { get; } = header;

    /// <summary>The old-file start line from the header (1-based; 0 for an insertion at the top).</summary>
    public int OldStart { get; } = oldStart;

    /// <summary>The old-file line count from the header (1 when omitted).</summary>
    public int OldCount { get; } = oldCount;

    /// <summary>The new-file line count from the header (1 when omitted).</summary>
    public int NewCount { get; } = newCount;

    /// <summary>The body lines in order.</summary>
    public List<Line> Lines { get; } = [];

    /// <summary>The context and removed lines: what must be found in the old file.</summary>
    public IEnumerable<Line> OldLines => Lines.Where(l => l.Kind != LineKind.Added);

    /// <summary>Whether the body already holds as many lines as the header announced.</summary>
    public bool IsComplete =>
        Lines.Count(l => l.Kind != LineKind.Added) >= OldCount && Lines.Count(l => l.Kind != LineKind.Removed) >= NewCount;

    /// <summary>What a body line does.</summary>
    public enum LineKind
    {
        /// <summary>A ' ' line present in both versions.</summary>
        Context,

        /// <summary>A '-' line only in the old version.</summary>
        Removed,

        /// <summary>A '+' line only in the new version.</summary>
        Added,
    }

    /// <summary>A body line.</summary>
    /// <param name="Kind">Context, removed or added.</param>
    /// <param name="Content">The text after the marker character, without terminator.</param>
    /// <param name="HasCrlf">Whether the diff line ended in "\r\n" (an explicit CRLF line).</param>
    /// <param name="FromBareEmptyLine">Whether this context line was a bare empty line rather than " ".</param>
    public sealed record Line(LineKind Kind, string Content, bool HasCrlf, bool FromBareEmptyLine)
    {
        /// <summary>Set by a following "\ No newline at end of file" marker.</summary>
        public bool NoNewline { get; set; }
    }
}
