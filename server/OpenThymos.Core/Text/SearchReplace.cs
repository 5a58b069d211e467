// Applies agent search/replace edits, touching only the matched regions of the file.
namespace OpenThymos.Core.Text;

/// <summary>
/// Applies search/replace blocks in sequence. Matching ignores the difference between "\r\n" and
/// "\n" (agents rarely reproduce a file's endings), but only the matched region changes: the rest
/// of the file stays byte-exact.
/// </summary>
public static class SearchReplace
{
    /// <summary>
    /// Applies <paramref name="blocks"/> one after another to <paramref name="baseDocument"/>'s text;
    /// each search text must match exactly once in the text as edited by the blocks before it.
    /// Bare "\n" in a replacement become "\r\n" when the file is CRLF-dominant.
    /// </summary>
    public static SearchReplaceResult Apply(TextDocument baseDocument, IReadOnlyList<SearchReplaceBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(baseDocument);
        ArgumentNullException.ThrowIfNull(blocks);

        string text = baseDocument.Text;
        for (int index = 0; index < blocks.Count; index++)
        {
            var block = blocks[index];
            if (string.IsNullOrEmpty(block.Search))
            {
                return SearchReplaceResult.Failed(new SearchReplaceFailure(index, SearchReplaceFailureKind.EmptySearch, 0));
            }

            var normalized = new LfNormalizedText(text);
            string search = LfNormalizedText.Normalize(block.Search);
            var matches = FindAll(normalized.Text, search);
            if (matches.Count != 1)
            {
                var kind = matches.Count == 0 ? SearchReplaceFailureKind.NotFound : SearchReplaceFailureKind.Ambiguous;
                return SearchReplaceResult.Failed(new SearchReplaceFailure(index, kind, matches.Count));
            }

            int start = normalized.OriginalIndex(matches[0]);
            int end = normalized.OriginalIndex(matches[0] + search.Length);
            string replacement = LineEndings.ToDominant(block.Replace ?? string.Empty, baseDocument.DominantLineEnding);
            text = string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
        }

        return SearchReplaceResult.Success(text);
    }

    // Overlapping occurrences count too: "aa" in "aaa" is ambiguous.
    private static List<int> FindAll(string text, string search)
    {
        var matches = new List<int>();
        int at = text.IndexOf(search, StringComparison.Ordinal);
        while (at >= 0)
        {
            matches.Add(at);
            at = at + 1 < text.Length ? text.IndexOf(search, at + 1, StringComparison.Ordinal) : -1;
        }

        return matches;
    }
}
