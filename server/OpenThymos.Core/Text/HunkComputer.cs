// Computes the hunks that turn one list of lines into another.
using DiffPlex;

namespace OpenThymos.Core.Text;

/// <summary>
/// Diffs two line lists with DiffPlex (Myers) and turns each diff block into a <see cref="Hunk"/>.
/// </summary>
public static class HunkComputer
{
    /// <summary>
    /// The hunks that turn <paramref name="baseLines"/> into <paramref name="newLines"/>, in file
    /// order with ids "h1".."hn". Lines compare exactly, terminators included, so a line-ending
    /// change shows up as a change.
    /// </summary>
    public static IReadOnlyList<Hunk> Compute(IReadOnlyList<string> baseLines, IReadOnlyList<string> newLines)
    {
        ArgumentNullException.ThrowIfNull(baseLines);
        ArgumentNullException.ThrowIfNull(newLines);

        var chunker = new PreparedLinesChunker(baseLines, newLines);
        var diff = Differ.Instance.CreateDiffs(
            PreparedLinesChunker.BaseKey, PreparedLinesChunker.NewKey, ignoreWhiteSpace: false, ignoreCase: false, chunker);

        var hunks = new List<Hunk>(diff.DiffBlocks.Count);
        foreach (var block in diff.DiffBlocks)
        {
            hunks.Add(new Hunk(
                $"h{hunks.Count + 1}",
                block.DeleteStartA,
                Slice(baseLines, block.DeleteStartA, block.DeleteCountA),
                Slice(newLines, block.InsertStartB, block.InsertCountB)));
        }

        return hunks;
    }

    private static string[] Slice(IReadOnlyList<string> lines, int start, int count)
    {
        var slice = new string[count];
        for (int i = 0; i < count; i++)
        {
            slice[i] = lines[start + i];
        }

        return slice;
    }
}
