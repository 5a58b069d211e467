// Applies an agent's unified diff to a file, tolerating drifted line numbers and line endings.
namespace OpenThymos.Core.Text;

/// <summary>
/// Applies a single-file unified diff. Each hunk is tried at its stated line and, if the file has
/// drifted, at the nearest line where its context and removed lines match (comparing content
/// without line endings). Unchanged lines keep the base's exact bytes.
/// </summary>
public static class UnifiedDiff
{
    /// <summary>
    /// Applies <paramref name="diffText"/> to <paramref name="baseDocument"/>. Added lines get the
    /// file's dominant line ending, unless the diff line itself ended in "\r\n".
    /// </summary>
    public static UnifiedDiffResult Apply(TextDocument baseDocument, string diffText)
    {
        ArgumentNullException.ThrowIfNull(baseDocument);
        ArgumentNullException.ThrowIfNull(diffText);

        var (hunks, failure) = UnifiedDiffParser.Parse(diffText);
        if (failure is not null)
        {
            return UnifiedDiffResult.Failed(failure);
        }

        var baseLines = baseDocument.Lines;
        string dominant = baseDocument.DominantLineEnding;
        var result = new List<string>(baseLines.Count);
        int cursor = 0;
        int drift = 0;
        for (int index = 0; index < hunks!.Count; index++)
        {
            var hunk = hunks[index];
            var oldContents = hunk.OldLines.Select(l => l.Content).ToList();

            // For an insertion without context, "-n,0" means after line n, i.e. at index n.
            int stated = oldContents.Count == 0 ? hunk.OldStart : Math.Max(hunk.OldStart - 1, 0);
            int? found = FindNearest(baseLines, oldContents, stated + drift, cursor);
            if (found is not int position)
            {
                string where = index == 0 ? "anywhere in the file" : $"anywhere after hunk {index}";
                return UnifiedDiffResult.Failed(new UnifiedDiffFailure(
                    index,
                    $"Hunk {index + 1} ({hunk.Header}) does not match the file: its context and removed lines were not found at line {stated + 1} or {where}; re-read the file and resend the diff."));
            }

            // Later hunks are likely to have drifted by the same amount.
            drift = position - stated;
            for (; cursor < position; cursor++)
            {
                result.Add(baseLines[cursor]);
            }

            foreach (var line in hunk.Lines)
            {
                switch (line.Kind)
                {
                    case UnifiedDiffHunk.LineKind.Context:
                        result.Add(baseLines[cursor++]);
                        break;
                    case UnifiedDiffHunk.LineKind.Removed:
                        cursor++;
                        break;
                    default:
                        result.Add(line.Content + (line.NoNewline ? string.Empty : line.HasCrlf ? LineEndings.Crlf : dominant));
                        break;
                }
            }
        }

        for (; cursor < baseLines.Count; cursor++)
        {
            result.Add(baseLines[cursor]);
        }

        return UnifiedDiffResult.Success(HunkApplier.Join(result, dominant));
    }

    /// <summary>
    /// The match position closest to <paramref name="expected"/>, not before <paramref name="minimum"/>
    /// (the end of the previous hunk). At equal distance the earlier position wins.
    /// </summary>
    private static int? FindNearest(IReadOnlyList<string> baseLines, List<string> oldContents, int expected, int minimum)
    {
        int maximum = baseLines.Count - oldContents.Count;
        if (maximum < minimum)
        {
            return null;
        }

        expected = Math.Clamp(expected, minimum, maximum);
        if (oldContents.Count == 0)
        {
            return expected;
        }

        int reach = Math.Max(expected - minimum, maximum - expected);
        for (int distance = 0; distance <= reach; distance++)
        {
            if (expected - distance >= minimum && MatchesAt(baseLines, oldContents, expected - distance))
            {
                return expected - distance;
            }

            if (distance > 0 && expected + distance <= maximum && MatchesAt(baseLines, oldContents, expected + distance))
            {
                return expected + distance;
            }
        }

        return null;
    }

    private static bool MatchesAt(IReadOnlyList<string> baseLines, List<string> oldContents, int position)
    {
        for (int i = 0; i < oldContents.Count; i++)
        {
            if (!string.Equals(LineEndings.ContentOf(baseLines[position + i]), oldContents[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
