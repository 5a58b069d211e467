// Applies an approved subset of hunks to the base lines they were computed against.
using System.Text;

namespace OpenThymos.Core.Text;

/// <summary>
/// Applies hunks to their base. Any subset of non-overlapping hunks from the same base can be
/// applied in any order, which is what per-hunk approval needs.
/// </summary>
public static class HunkApplier
{
    /// <summary>
    /// Applies <paramref name="hunks"/> to <paramref name="baseLines"/>, using the base's dominant
    /// line ending if an unterminated line has to be followed by another one.
    /// </summary>
    /// <exception cref="ArgumentException">A hunk does not match the base, or two hunks overlap.</exception>
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> baseLines, IEnumerable<Hunk> hunks)
    {
        ArgumentNullException.ThrowIfNull(baseLines);
        return Apply(baseLines, hunks, LineEndings.DominantOf(baseLines));
    }

    /// <summary>
    /// Applies <paramref name="hunks"/> to <paramref name="baseLines"/>. If a line without a
    /// terminator (the old last line) ends up followed by another line, <paramref name="dominantLineEnding"/>
    /// is appended to it so the two lines never merge.
    /// </summary>
    /// <exception cref="ArgumentException">A hunk does not match the base, or two hunks overlap.</exception>
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> baseLines, IEnumerable<Hunk> hunks, string dominantLineEnding)
    {
        ArgumentNullException.ThrowIfNull(baseLines);
        ArgumentNullException.ThrowIfNull(hunks);

        var ordered = hunks.OrderBy(h => h.BaseStart).ThenBy(h => h.BaseCount).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            Validate(baseLines, ordered[i]);
            if (i > 0 && Overlap(ordered[i - 1], ordered[i]))
            {
                throw new ArgumentException($"Hunks {ordered[i - 1].Id} and {ordered[i].Id} overlap and cannot be applied together.", nameof(hunks));
            }
        }

        var result = new List<string>(baseLines.Count);
        int next = 0;
        foreach (var hunk in ordered)
        {
            for (; next < hunk.BaseStart; next++)
            {
                result.Add(baseLines[next]);
            }

            result.AddRange(hunk.AddedLines);
            next = hunk.BaseEnd;
        }

        for (; next < baseLines.Count; next++)
        {
            result.Add(baseLines[next]);
        }

        TerminateInnerLines(result, dominantLineEnding);
        return result;
    }

    /// <summary>Joins lines into text, terminating any unterminated inner line with the lines' dominant ending.</summary>
    public static string Join(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var list = lines.ToList();
        return Join(list, LineEndings.DominantOf(list));
    }

    /// <summary>Joins lines into text, terminating any unterminated inner line with <paramref name="dominantLineEnding"/>.</summary>
    public static string Join(IEnumerable<string> lines, string dominantLineEnding)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var list = lines.ToList();
        TerminateInnerLines(list, dominantLineEnding);
        var builder = new StringBuilder();
        foreach (var line in list)
        {
            builder.Append(line);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether two hunks of the same base cannot both be applied: their base ranges intersect, or
    /// they start at the same line (then the order of their added lines would be ambiguous).
    /// </summary>
    internal static bool Overlap(Hunk a, Hunk b) =>
        a.BaseStart == b.BaseStart || (a.BaseStart < b.BaseEnd && b.BaseStart < a.BaseEnd);

    /// <summary>Appends the line ending to every line but the last that lacks a terminator.</summary>
    internal static void TerminateInnerLines(List<string> lines, string dominantLineEnding)
    {
        for (int i = 0; i < lines.Count - 1; i++)
        {
            if (!lines[i].EndsWith('\n'))
            {
                lines[i] += dominantLineEnding;
            }
        }
    }

    private static void Validate(IReadOnlyList<string> baseLines, Hunk hunk)
    {
        if (hunk.BaseStart < 0 || hunk.BaseEnd > baseLines.Count)
        {
            throw new ArgumentException(
                $"Hunk {hunk.Id} covers lines {hunk.BaseStart}..{hunk.BaseEnd} but the base has {baseLines.Count} lines.", nameof(hunk));
        }

        for (int i = 0; i < hunk.BaseCount; i++)
        {
            if (!string.Equals(baseLines[hunk.BaseStart + i], hunk.RemovedLines[i], StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Hunk {hunk.Id} does not match the base at line {hunk.BaseStart + i}: the base changed since the hunk was computed.", nameof(hunk));
            }
        }
    }
}
