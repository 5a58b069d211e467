// Parses a single-file unified diff as written by git, diff -u, or an agent imitating them.
using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenThymos.Core.Text;

/// <summary>
/// Parses unified diff text into hunks. Header counts are used to tell where a hunk's body ends,
/// but agents often miscount, so a body that runs short or long is accepted as written.
/// </summary>
internal static partial class UnifiedDiffParser
{
    private static readonly string[] IgnoredHeaders =
        ["diff ", "index ", "--- ", "+++ ", "new file mode", "deleted file mode", "old mode", "new mode", "similarity index", "rename from", "rename to"];

    /// <summary>Parses the diff, returning the hunks or a failure describing the first problem.</summary>
    public static (List<UnifiedDiffHunk>? Hunks, UnifiedDiffFailure? Failure) Parse(string diffText)
    {
        var rawLines = TextDocument.SplitLines(diffText);
        var hunks = new List<UnifiedDiffHunk>();
        UnifiedDiffHunk? current = null;

        // Bare empty lines after a complete hunk are usually just trailing blank lines; they
        // become empty context only if more body lines follow.
        int pendingBlankLines = 0;

        for (int n = 0; n < rawLines.Count; n++)
        {
            string line = LineEndings.ContentOf(rawLines[n]);
            bool crlf = LineEndings.TerminatorOf(rawLines[n]) == LineEndings.Crlf;
            int lineNumber = n + 1;

            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var header = HunkHeader().Match(line);
                if (!header.Success)
                {
                    return Fail(null, $"Line {lineNumber} of the diff is a malformed hunk header: '{line}'; expected '@@ -start,count +start,count @@'.");
                }

                current = new UnifiedDiffHunk(
                    line,
                    Number(header.Groups[1]),
                    header.Groups[2].Success ? Number(header.Groups[2]) : 1,
                    header.Groups[4].Success ? Number(header.Groups[4]) : 1);
                hunks.Add(current);
                pendingBlankLines = 0;
                continue;
            }

            if (current is null)
            {
                if (line.Trim().Length == 0 || IgnoredHeaders.Any(h => line.StartsWith(h, StringComparison.Ordinal)))
                {
                    continue;
                }

                return Fail(null, $"Line {lineNumber} of the diff ('{line}') comes before any hunk; a unified diff's hunks start with '@@ -start,count +start,count @@'.");
            }

            if (line.StartsWith('\\'))
            {
                if (current.Lines.Count > 0)
                {
                    current.Lines[^1].NoNewline = true;
                }

                continue;
            }

            // "---"/"+++" inside a body may be a removed "--" line, so only trust them once the hunk is complete.
            bool nextFileHeader = line.StartsWith("diff --git ", StringComparison.Ordinal)
                || (current.IsComplete && line.StartsWith("--- ", StringComparison.Ordinal) && n + 1 < rawLines.Count && rawLines[n + 1].StartsWith("+++ ", StringComparison.Ordinal));
            if (nextFileHeader)
            {
                return Fail(null, "The diff changes more than one file; send a separate diff for each file.");
            }

            if (current.IsComplete && line.Length == 0)
            {
                pendingBlankLines++;
                continue;
            }

            var kind = line.Length == 0 ? UnifiedDiffHunk.LineKind.Context : line[0] switch
            {
                ' ' => UnifiedDiffHunk.LineKind.Context,
                '-' => UnifiedDiffHunk.LineKind.Removed,
                '+' => UnifiedDiffHunk.LineKind.Added,
                _ => (UnifiedDiffHunk.LineKind?)null,
            };
            if (kind is null)
            {
                return Fail(hunks.Count - 1, $"Line {lineNumber} of the diff ('{line}') in hunk {hunks.Count} ({current.Header}) does not start with ' ', '-' or '+'.");
            }

            for (; pendingBlankLines > 0; pendingBlankLines--)
            {
                current.Lines.Add(new UnifiedDiffHunk.Line(UnifiedDiffHunk.LineKind.Context, string.Empty, false, FromBareEmptyLine: true));
            }

            current.Lines.Add(new UnifiedDiffHunk.Line(kind.Value, line.Length == 0 ? string.Empty : line[1..], crlf, FromBareEmptyLine: line.Length == 0));
        }

        if (hunks.Count == 0)
        {
            return Fail(null, "The diff has no hunks; expected at least one section starting with '@@ -start,count +start,count @@'.");
        }

        for (int i = 0; i < hunks.Count; i++)
        {
            if (hunks[i].Lines.Count == 0)
            {
                return Fail(i, $"Hunk {i + 1} ({hunks[i].Header}) has no lines.");
            }
        }

        return (hunks, null);
    }

    private static (List<UnifiedDiffHunk>?, UnifiedDiffFailure?) Fail(int? hunkIndex, string message) => (null, new UnifiedDiffFailure(hunkIndex, message));

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^@@ -(\d{1,9})(?:,(\d{1,9}))? \+(\d{1,9})(?:,(\d{1,9}))? @@")]
    private static partial Regex HunkHeader();
}
