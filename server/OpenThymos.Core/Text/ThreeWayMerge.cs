// Moves pending hunks onto a newer version of their file, or past hunks that were applied first.
namespace OpenThymos.Core.Text;

/// <summary>
/// Line-based three-way merging at hunk granularity. Used when a file changes under pending
/// hunks (someone else edited it), when reverting an old commit over later edits, and when a
/// partial approval applies some hunks and the rest must stay pending.
/// </summary>
public static class ThreeWayMerge
{
    /// <summary>
    /// Re-expresses <paramref name="pendingHunks"/> (computed against <paramref name="baseLines"/>)
    /// against <paramref name="changedLines"/>. A hunk conflicts when its base range overlaps or
    /// merely touches an external change's range; touching counts because the relative order of
    /// two insertions at the same place is a guess a human should make.
    /// </summary>
    /// <exception cref="ArgumentException">A pending hunk does not match <paramref name="baseLines"/>.</exception>
    public static RebaseResult Rebase(IReadOnlyList<string> baseLines, IReadOnlyList<string> changedLines, IReadOnlyList<Hunk> pendingHunks)
    {
        ArgumentNullException.ThrowIfNull(baseLines);
        ArgumentNullException.ThrowIfNull(changedLines);
        ArgumentNullException.ThrowIfNull(pendingHunks);

        foreach (var hunk in pendingHunks)
        {
            EnsureMatches(baseLines, hunk);
        }

        var external = HunkComputer.Compute(baseLines, changedLines);
        var rebased = new List<Hunk>();
        var conflicts = new List<RebaseConflict>();
        foreach (var hunk in pendingHunks)
        {
            // Closed intervals: [start, end] with end = start + count, so adjacency collides too.
            var colliding = external.Where(e => hunk.BaseStart <= e.BaseEnd && e.BaseStart <= hunk.BaseEnd).ToList();
            if (colliding.Count > 0)
            {
                conflicts.Add(Describe(hunk, colliding, external));
                continue;
            }

            int delta = external.Where(e => e.BaseEnd <= hunk.BaseStart).Sum(e => e.LineDelta);
            rebased.Add(hunk with { BaseStart = hunk.BaseStart + delta });
        }

        return new RebaseResult(rebased, conflicts);
    }

    /// <summary>
    /// Re-expresses <paramref name="pending"/> against the file produced by applying
    /// <paramref name="appliedFirst"/> to their common base. Ids and lines are kept; only
    /// <see cref="Hunk.BaseStart"/> moves by the net line delta of applied hunks before each one.
    /// </summary>
    /// <exception cref="ArgumentException">A pending hunk overlaps an applied one.</exception>
    public static IReadOnlyList<Hunk> Shift(IReadOnlyList<Hunk> pending, IReadOnlyList<Hunk> appliedFirst)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(appliedFirst);

        var shifted = new List<Hunk>(pending.Count);
        foreach (var hunk in pending)
        {
            int delta = 0;
            foreach (var applied in appliedFirst)
            {
                if (HunkApplier.Overlap(hunk, applied))
                {
                    throw new ArgumentException($"Pending hunk {hunk.Id} overlaps applied hunk {applied.Id}.", nameof(pending));
                }

                if (applied.BaseEnd <= hunk.BaseStart)
                {
                    delta += applied.LineDelta;
                }
            }

            shifted.Add(hunk with { BaseStart = hunk.BaseStart + delta });
        }

        return shifted;
    }

    private static RebaseConflict Describe(Hunk hunk, List<Hunk> colliding, IReadOnlyList<Hunk> external)
    {
        int baseStart = colliding[0].BaseStart;
        int baseEnd = colliding[^1].BaseEnd;

        // Map the region into the changed file: external changes before it shift it, and the
        // colliding ones contribute their added lines instead of their removed ones.
        int changedStart = baseStart + external.Where(e => e.BaseEnd <= baseStart && !colliding.Contains(e)).Sum(e => e.LineDelta);
        int changedCount = baseEnd - baseStart + colliding.Sum(e => e.LineDelta);
        return new RebaseConflict(hunk, baseStart, baseEnd - baseStart, changedStart, changedCount);
    }

    private static void EnsureMatches(IReadOnlyList<string> baseLines, Hunk hunk)
    {
        bool matches = hunk.BaseStart >= 0
            && hunk.BaseEnd <= baseLines.Count
            && Enumerable.Range(0, hunk.BaseCount).All(i => string.Equals(baseLines[hunk.BaseStart + i], hunk.RemovedLines[i], StringComparison.Ordinal));
        if (!matches)
        {
            throw new ArgumentException($"Pending hunk {hunk.Id} does not match the base lines it claims to be computed against.", nameof(hunk));
        }
    }
}
