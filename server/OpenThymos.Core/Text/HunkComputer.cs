// Computes the hunks that turn one list of lines into another, at a bounded cost.
using DiffPlex;

namespace OpenThymos.Core.Text;

/// <summary>
/// Diffs two line lists with DiffPlex (Myers) and turns each diff block into a <see cref="Hunk"/>, at a bounded cost.
/// Myers' cost grows with the product of the lines and the number of differences (O((N+M)·D)): a full-content
/// rewrite sharing no line with a 40k-line file took seconds. So the common prefix and suffix are set aside first
/// (in linear time), then a greedy Myers pass over what is left measures the edit distance while counting its steps;
/// only when it finishes within <see cref="StepBudget"/> does DiffPlex compute the hunks (the same hunks as always,
/// at a cost of the same order). Past the budget the region between the common prefix and suffix becomes one hunk
/// that replaces it whole: correct, only coarser.
/// </summary>
public static class HunkComputer
{
    /// <summary>
    /// The most steps (diagonals advanced and lines compared) the measuring pass may take before the changed region
    /// is replaced whole: about 4 million (tens of milliseconds); DiffPlex's work after it is of the same order.
    /// </summary>
    public const long StepBudget = 1L << 22;

    /// <summary>
    /// The hunks that turn <paramref name="baseLines"/> into <paramref name="newLines"/>, in file
    /// order with ids "h1".."hn". Lines compare exactly, terminators included, so a line-ending
    /// change shows up as a change.
    /// </summary>
    public static IReadOnlyList<Hunk> Compute(IReadOnlyList<string> baseLines, IReadOnlyList<string> newLines) =>
        ComputeMeasured(baseLines, newLines, StepBudget).Hunks;

    /// <summary>
    /// <see cref="Compute"/> with an explicit step budget, also returning what the computation cost and whether the
    /// budget was hit (then the changed region is one whole-region replacement hunk).
    /// </summary>
    public static (IReadOnlyList<Hunk> Hunks, HunkComputationCost Cost) ComputeMeasured(IReadOnlyList<string> baseLines, IReadOnlyList<string> newLines, long stepBudget)
    {
        ArgumentNullException.ThrowIfNull(baseLines);
        ArgumentNullException.ThrowIfNull(newLines);

        var prefix = 0;
        while (prefix < baseLines.Count && prefix < newLines.Count && string.Equals(baseLines[prefix], newLines[prefix], StringComparison.Ordinal))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < baseLines.Count - prefix && suffix < newLines.Count - prefix
            && string.Equals(baseLines[baseLines.Count - 1 - suffix], newLines[newLines.Count - 1 - suffix], StringComparison.Ordinal))
        {
            suffix++;
        }

        var removed = baseLines.Count - prefix - suffix;
        var added = newLines.Count - prefix - suffix;
        if (removed == 0 && added == 0)
        {
            return ([], new HunkComputationCost(0, WholeRegionReplaced: false));
        }

        var steps = MeasureEditDistance(baseLines, newLines, prefix, removed, added, stepBudget);
        if (steps > stepBudget)
        {
            var whole = new Hunk("h1", prefix, Slice(baseLines, prefix, removed), Slice(newLines, prefix, added));
            return ([whole], new HunkComputationCost(steps, WholeRegionReplaced: true));
        }

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

        return (hunks, new HunkComputationCost(steps, WholeRegionReplaced: false));
    }

    /// <summary>
    /// Greedy forward Myers over the changed regions (<paramref name="removed"/> base lines and <paramref name="added"/>
    /// new lines from <paramref name="start"/>): the steps it took to find the shortest edit script, or the first
    /// count past <paramref name="stepBudget"/> when it stopped there. Lines are compared as small integers.
    /// </summary>
    private static long MeasureEditDistance(IReadOnlyList<string> baseLines, IReadOnlyList<string> newLines, int start, int removed, int added, long stepBudget)
    {
        if (removed == 0 || added == 0)
        {
            return removed + added;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = new int[removed];
        var b = new int[added];
        for (var i = 0; i < removed; i++)
        {
            a[i] = IdOf(ids, baseLines[start + i]);
        }

        for (var j = 0; j < added; j++)
        {
            b[j] = IdOf(ids, newLines[start + j]);
        }

        long steps = removed + added;
        var most = removed + added;
        var offset = most + 1;
        var furthest = new int[(2 * most) + 3];
        for (var d = 0; d <= most; d++)
        {
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1])
                    ? furthest[offset + k + 1]
                    : furthest[offset + k - 1] + 1;
                var y = x - k;
                while (x < removed && y < added && a[x] == b[y])
                {
                    x++;
                    y++;
                    steps++;
                }

                furthest[offset + k] = x;
                steps++;
                if (x >= removed && y >= added)
                {
                    return steps;
                }

                if (steps > stepBudget)
                {
                    return steps;
                }
            }
        }

        return steps;
    }

    private static int IdOf(Dictionary<string, int> ids, string line)
    {
        if (!ids.TryGetValue(line, out var id))
        {
            id = ids.Count;
            ids.Add(line, id);
        }

        return id;
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

/// <summary>What one hunk computation cost.</summary>
/// <param name="Steps">Steps of the measuring pass: lines interned, diagonals advanced and lines compared.</param>
/// <param name="WholeRegionReplaced">True when the budget was hit and the changed region became one replacement hunk.</param>
public readonly record struct HunkComputationCost(long Steps, bool WholeRegionReplaced);
