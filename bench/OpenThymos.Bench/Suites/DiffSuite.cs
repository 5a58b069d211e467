// Diff and hunk computation: a 40,000-line file with 100 scattered changes, and a 5 MB file.
using System.Text;
using OpenThymos.Bench.Harness;
using OpenThymos.Core.Text;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Times what the runtime does to turn a submitted file into hunks: decode both versions
/// (<see cref="TextDocument.TryDecode"/>) and compute hunks (<see cref="HunkComputer.Compute"/>).
/// The anchor is <c>git diff --no-index</c> on the same two files (process start included).
/// </summary>
internal sealed class DiffSuite : ISuite
{
    public string Name => "diff";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var folder = context.NewFolder("diff");
        var table = new ResultTable("Diff and hunks", "< 100 ms for the 40,000-line file with 100 scattered changes.",
            "input", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
        var cases = new (int Lines, int LineLength)[] { (context.Size(40_000, 2_000), 40), (context.Size(80_000, 2_000), 64) };
        foreach (var (lineCount, lineLength) in cases)
        {
            var (before, after) = MakeFiles(lineCount, lineLength, changes: 100);
            var name = $"{lineCount:N0} lines ({before.Length / 1e6:0.0} MB), 100 scattered changes";
            var beforePath = Path.Combine(folder, "before.txt");
            var afterPath = Path.Combine(folder, "after.txt");
            File.WriteAllBytes(beforePath, before);
            File.WriteAllBytes(afterPath, after);
            var hunkCount = 0;
            var ours = Measure.Latency(context.Size(3, 1), context.Size(15, 2), () =>
            {
                var baseDocument = TextDocument.TryDecode(before)!;
                var newDocument = TextDocument.TryDecode(after)!;
                hunkCount = HunkComputer.Compute(baseDocument.Lines, newDocument.Lines).Count;
            });
            var anchor = Measure.Latency(context.Size(2, 1), context.Size(15, 2), () =>
                Processes.Run("git", ["diff", "--no-index", "--no-color", "--stat", beforePath, afterPath], folder, acceptedExitCodes: 1));
            table.AddLatency($"{name}: decode + hunks ({hunkCount} hunks)", ours);
            table.AddLatency($"{name}: anchor `git diff --no-index --stat`", anchor);
            if (lineCount == context.Size(40_000, 2_000) && lineLength == 40)
            {
                summary.Add("Diff + hunks, 40,000-line file, 100 changes, p50", ResultTable.Ms(ours.Median) + " ms", ResultTable.Ms(anchor.Median) + " ms (git diff --no-index)", ResultTable.Ratio(ours.Median / anchor.Median), "< 100 ms", ours.Median < 100);
            }
            else
            {
                summary.Record("Diff + hunks, 5 MB file, 100 changes, p50", ResultTable.Ms(ours.Median) + " ms", ResultTable.Ms(anchor.Median) + " ms (git diff --no-index)", ResultTable.Ratio(ours.Median / anchor.Median), "recorded");
            }
        }

        yield return table;
        yield return CostBound(context);
    }

    /// <summary>
    /// The diff's cost bound: a full rewrite that shares no line with the file (Myers' worst case, O(N·D)) against
    /// typical edits, at 5,000, 20,000 and 40,000 lines; hunks only (the texts are split once, outside the timing).
    /// </summary>
    private static ResultTable CostBound(BenchContext context)
    {
        var table = new ResultTable("Diff cost bound", $"Near-linear: past {HunkComputer.StepBudget:N0} steps the changed region becomes one replacement hunk.",
            "input", "hunks", "whole region replaced", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
        foreach (var lineCount in new[] { context.Size(5_000, 500), context.Size(20_000, 1_000), context.Size(40_000, 2_000) })
        {
            var baseLines = Enumerable.Range(0, lineCount).Select(line => $"    value{line} = compute(value{line - 1}, {line % 97});\n").ToList();
            var rewritten = Enumerable.Range(0, lineCount).Select(line => $"    other{line} = rewrite({line});\n").ToList();
            var edited = baseLines.ToList();
            for (var line = lineCount / 20; line < lineCount; line += lineCount / 10)
            {
                edited[line] = $"    value{line} = changed({line});\n";
                edited.Insert(line + 1, $"    // added after {line}\n");
            }

            foreach (var (name, newLines) in new[] { ("no line shared", rewritten), ("10 scattered edits", edited) })
            {
                var (hunks, cost) = HunkComputer.ComputeMeasured(baseLines, newLines, HunkComputer.StepBudget);
                var samples = Measure.Latency(context.Size(2, 1), context.Size(11, 2), () => HunkComputer.ComputeMeasured(baseLines, newLines, HunkComputer.StepBudget));
                table.AddLatency($"{lineCount:N0} lines, {name}", samples, hunks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), cost.WholeRegionReplaced ? "yes" : "no");
            }
        }

        return table;
    }

    /// <summary>A file of distinct lines and a copy with <paramref name="changes"/> lines rewritten at even spacing.</summary>
    private static (byte[] Before, byte[] After) MakeFiles(int lineCount, int lineLength, int changes)
    {
        var before = new StringBuilder();
        var after = new StringBuilder();
        var step = lineCount / changes;
        for (var line = 0; line < lineCount; line++)
        {
            var text = $"    value{line} = compute(value{line - 1}, {line % 97});".PadRight(lineLength - 1, ' ') + "\n";
            before.Append(text);
            after.Append(line % step == step / 2 ? $"    value{line} = changed({line});".PadRight(lineLength - 1, ' ') + "\n" : text);
        }

        return (Encoding.UTF8.GetBytes(before.ToString()), Encoding.UTF8.GetBytes(after.ToString()));
    }
}
