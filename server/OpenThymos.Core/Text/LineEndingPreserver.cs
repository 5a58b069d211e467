// Keeps a file's own line endings when an agent resends its full content with different ones.
namespace OpenThymos.Core.Text;

/// <summary>
/// Agents often send a whole new file with LF endings for a CRLF file, or add or drop the final
/// newline by accident. Diffing that naively would mark every line as changed. This maps the
/// agent's text back onto the base file's exact bytes wherever the content is unchanged.
/// </summary>
public static class LineEndingPreserver
{
    /// <summary>
    /// The new lines for <paramref name="agentText"/>: lines whose content (terminator stripped)
    /// matches the base keep the base's exact bytes; new or changed lines keep the agent's content
    /// and get the base's dominant ending in place of a bare "\n" (an explicit "\r\n" is kept).
    /// An unchanged last line keeps the base's final-newline state; a new last line keeps the agent's.
    /// </summary>
    public static IReadOnlyList<string> Preserve(TextDocument baseDocument, string agentText)
    {
        ArgumentNullException.ThrowIfNull(baseDocument);
        ArgumentNullException.ThrowIfNull(agentText);

        var agentLines = TextDocument.SplitLines(agentText);
        var baseLines = baseDocument.Lines;
        if (baseLines.Count == 0)
        {
            return agentLines;
        }

        string dominant = baseDocument.DominantLineEnding;
        var baseContents = baseLines.Select(LineEndings.ContentOf).ToList();
        var agentContents = agentLines.Select(LineEndings.ContentOf).ToList();

        // Diff on contents only, so line-ending differences do not count as changes.
        var result = new List<string>(agentLines.Count);
        int baseIndex = 0;
        int agentIndex = 0;
        foreach (var hunk in HunkComputer.Compute(baseContents, agentContents))
        {
            CopyUnchanged(baseLines, ref baseIndex, ref agentIndex, hunk.BaseStart, result);
            for (int i = 0; i < hunk.AddedLines.Count; i++)
            {
                result.Add(LineEndings.ToDominant(agentLines[agentIndex + i], dominant));
            }

            baseIndex = hunk.BaseEnd;
            agentIndex += hunk.AddedLines.Count;
        }

        CopyUnchanged(baseLines, ref baseIndex, ref agentIndex, baseLines.Count, result);

        // An unchanged base last line without a newline may now be followed by new lines.
        HunkApplier.TerminateInnerLines(result, dominant);
        return result;
    }

    private static void CopyUnchanged(IReadOnlyList<string> baseLines, ref int baseIndex, ref int agentIndex, int baseEnd, List<string> result)
    {
        for (; baseIndex < baseEnd; baseIndex++, agentIndex++)
        {
            result.Add(baseLines[baseIndex]);
        }
    }
}
