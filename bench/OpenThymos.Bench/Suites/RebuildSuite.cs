// Rebuilding one file at an arbitrary seq in a long history (10,000 commits on one file).
using System.Globalization;
using System.Text;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// The same 10,000 versions of one file are written as commit entries (with their blobs) to a
/// ledger and as commits to a git repository (git fast-import); then random versions are rebuilt
/// with <see cref="WorldReplayer.RebuildFile"/> and, as the anchor, with <c>git show REV:PATH</c>.
/// </summary>
internal sealed class RebuildSuite : ISuite
{
    private const string FilePath = "src/history.txt";

    public string Name => "rebuild";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var commits = context.Size(10_000, 50);
        var folder = context.NewFolder("rebuild");
        var versions = Versions(commits);

        var commitSeqs = new long[commits];
        using (var workspace = BenchWorkspace.Create(Path.Combine(folder, "ledger")))
        using (var ledger = WorkspaceLedger.Open(workspace.LedgerOptions))
        {
            string? before = null;
            for (var start = 0; start < commits; start += 500)
            {
                var pending = new List<PendingEntry>();
                var blobs = new List<BlobWrite>();
                for (var index = start; index < Math.Min(commits, start + 500); index++)
                {
                    var blob = BlobWrite.Of(versions[index]);
                    blobs.Add(blob);
                    var after = blob.Hash.ToString();
                    pending.Add(PendingEntry.Of(EntryKind.Commit, "human:bench", new CommitPayload(
                        $"p_{index:x16}", 1, "w_bench", "bench-agent", "human:bench", 0, ContentHash.Zero.ToString(),
                        [FilePath + "#h1"], [new FileChangeRecord(FilePath, before, after, null)], false), LedgerJsonContext.Default.CommitPayload));
                    before = after;
                }

                var appended = ledger.AppendMany(pending, blobs);
                for (var index = 0; index < appended.Count; index++)
                {
                    commitSeqs[start + index] = appended[index].Seq;
                }
            }

            var gitFolder = Path.Combine(folder, "git");
            var gitCommits = BuildGitHistory(gitFolder, versions);
            var random = new Random(5); // fixed on purpose: every run rebuilds the same versions, so runs compare
            var picks = Enumerable.Range(0, context.Size(20, 3)).Select(_ => random.Next(commits)).ToArray();
            using var store = LedgerStores.Default.OpenReadOnly(workspace.LedgerPath);
            var pick = 0;
            var ours = Measure.Latency(1, picks.Length, () =>
            {
                var index = picks[pick++ % picks.Length];
                var rebuilt = WorldReplayer.RebuildFile(store, FilePath, commitSeqs[index]);
                if (rebuilt is null || !rebuilt.AsSpan().SequenceEqual(versions[index]))
                {
                    throw new InvalidOperationException($"Rebuilding {FilePath} at seq {commitSeqs[index]} did not give version {index}.");
                }
            });
            pick = 0;
            var anchor = Measure.Latency(1, picks.Length, () =>
            {
                var index = picks[pick++ % picks.Length];
                var shown = Processes.Run("git", ["show", $"{gitCommits[index]}:{FilePath}"], gitFolder);
                if (shown.Length != versions[index].Length)
                {
                    throw new InvalidOperationException($"git show of version {index} returned {shown.Length} bytes, not {versions[index].Length}.");
                }
            });

            var table = new ResultTable($"Rebuild one file at a random seq ({commits:N0} commits on one file)", "seconds, not minutes; recorded.",
                "operation", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
            table.AddLatency("WorldReplayer.RebuildFile (back from the seq to the file's last change, then its blob)", ours);
            table.AddLatency("anchor: `git show REV:PATH` (process start included)", anchor);
            summary.Record($"Rebuild a file at a random seq, {commits:N0} commits on it, p50", ResultTable.Ms(ours.Median) + " ms", ResultTable.Ms(anchor.Median) + " ms (git show)", ResultTable.Ratio(ours.Median / anchor.Median), "recorded");
            yield return table;
        }
    }

    /// <summary>Version i of a 300-line file: version i-1 with line (i·37 mod 300) rewritten.</summary>
    private static byte[][] Versions(int count)
    {
        var lines = Enumerable.Range(0, 300).Select(line => $"line {line}: the quick brown fox jumps over the lazy dog\n").ToArray();
        var versions = new byte[count][];
        for (var index = 0; index < count; index++)
        {
            var line = index * 37 % lines.Length;
            lines[line] = $"line {line}: changed by commit {index}\n";
            versions[index] = Encoding.UTF8.GetBytes(string.Concat(lines));
        }

        return versions;
    }

    /// <summary>Writes one commit per version with git fast-import; returns the commit ids in order.</summary>
    private static string[] BuildGitHistory(string folder, byte[][] versions)
    {
        Directory.CreateDirectory(folder);
        Processes.Run("git", ["init", "-q"], folder);
        var stream = new StringBuilder();
        for (var index = 0; index < versions.Length; index++)
        {
            var text = Encoding.UTF8.GetString(versions[index]);
            stream.Append("commit refs/heads/main\n");
            stream.Append(CultureInfo.InvariantCulture, $"mark :{index + 1}\n");
            stream.Append(CultureInfo.InvariantCulture, $"committer bench <bench@example.invalid> {1767225600 + index} +0000\n");
            var message = $"commit {index}";
            stream.Append(CultureInfo.InvariantCulture, $"data {message.Length}\n{message}\n");
            stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {FilePath}\n");
            stream.Append(CultureInfo.InvariantCulture, $"data {versions[index].Length}\n").Append(text).Append('\n');
        }

        var marks = Path.Combine(folder, "marks");
        Processes.Run("git", ["fast-import", "--quiet", $"--export-marks={marks}"], folder, standardInput: stream.ToString());
        var ids = new string[versions.Length];
        foreach (var line in File.ReadLines(marks))
        {
            var parts = line.Split(' ');
            ids[int.Parse(parts[0][1..], CultureInfo.InvariantCulture) - 1] = parts[1];
        }

        return ids;
    }
}
