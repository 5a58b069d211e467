// Ledger size on disk per 1,000 commits and blob deduplication, replaying a real repository's history as proposals.
using System.Globalization;
using System.Text;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Replays this repository's own public history (first-parent, oldest first): each git commit
/// becomes one proposal with every changed text file (create, modify or delete, whole content),
/// approved through the runtime. Then it measures the ledger files on disk and compares the bytes
/// every commit references with the bytes the content-addressed blob store keeps.
/// </summary>
internal sealed class LedgerSizeSuite : ISuite
{
    private const int MaxFileBytes = 1 << 20;

    public string Name => "size";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var repository = context.RepositoryRoot;
        var history = Processes.Run("git", ["rev-list", "--first-parent", "--reverse", "HEAD"], repository)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(context.Size(int.MaxValue, 5)).ToList();
        var folder = context.NewFolder("size");
        long gitCommits = 0;
        long ledgerCommits;
        long referencedBytes = 0;
        long changes = 0;
        using (var workspace = BenchWorkspace.Open(Path.Combine(folder, "ws")))
        {
            string? previous = null;
            foreach (var commit in history)
            {
                var files = new List<FileIntent>();
                foreach (var (status, path) in ChangedFiles(repository, previous, commit))
                {
                    var full = Path.Combine(workspace.WorkspaceRoot, path);
                    var exists = File.Exists(full);
                    if (status == 'D')
                    {
                        if (exists)
                        {
                            files.Add(new FileIntent(FileIntentKind.Delete, path, BaseHash: workspace.HashOf(path)));
                        }

                        continue;
                    }

                    var content = Processes.Run("git", ["show", $"{commit}:{path}"], repository);
                    if (Encoding.UTF8.GetByteCount(content) > MaxFileBytes || content.Contains('\0', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    files.Add(exists
                        ? new FileIntent(FileIntentKind.Modify, path, BaseHash: workspace.HashOf(path), Content: content)
                        : new FileIntent(FileIntentKind.Create, path, Content: content));
                }

                previous = commit;
                if (files.Count == 0)
                {
                    continue;
                }

                gitCommits++;
                ApplyAsProposals(workspace, files);
            }

            using var store = LiteDbLedgerStore.OpenReadOnly(workspace.LedgerPath);
            var commitEntries = store.ReadRange(1, long.MaxValue).Where(e => e.Kind == EntryKind.Commit).ToList();
            ledgerCommits = commitEntries.Count;
            foreach (var entry in commitEntries)
            {
                foreach (var file in WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).Files)
                {
                    changes++;
                    referencedBytes += file.After is null ? 0 : store.ReadBlob(ContentHash.Parse(file.After))!.Length;
                }
            }

            var storedBytes = store.ListBlobs().Sum(hash => (long)store.ReadBlob(hash)!.Length);
            workspace.CloseRuntime();
            var ledgerBytes = new FileInfo(workspace.LedgerPath).Length + (File.Exists(LiteDbLedgerStore.LogPathOf(workspace.LedgerPath)) ? new FileInfo(LiteDbLedgerStore.LogPathOf(workspace.LedgerPath)).Length : 0);
            var entries = workspace.LedgerEntryCount();
            var gitPack = GitPackBytes(repository, history[^1]);
            var perThousand = ledgerBytes / (double)ledgerCommits * 1000 / 1048576.0;
            var gitPerThousand = gitPack / (double)history.Count * 1000 / 1048576.0;
            var dedup = referencedBytes / (double)storedBytes;

            var table = new ResultTable($"Ledger size and blob deduplication (this repository's history replayed as proposals: {history.Count} git commits)", "recorded.",
                "measure", "value");
            table.Add("git commits replayed (with text changes)", gitCommits.ToString("N0", CultureInfo.InvariantCulture));
            table.Add("ledger commits / entries", $"{ledgerCommits:N0} / {entries:N0}");
            table.Add("file changes committed", changes.ToString("N0", CultureInfo.InvariantCulture));
            table.Add("ledger on disk (ledger.db + log)", $"{ledgerBytes / 1048576.0:0.00} MiB");
            table.Add("ledger per 1,000 commits", $"{perThousand:0.0} MiB");
            table.Add("bytes of the file versions the commits reference", $"{referencedBytes / 1048576.0:0.00} MiB");
            table.Add("bytes of distinct blobs stored", $"{storedBytes / 1048576.0:0.00} MiB");
            table.Add("blob deduplication ratio (referenced / stored)", ResultTable.Ratio(dedup));
            table.Add("anchor: git pack of the same history (all files, delta-compressed)", $"{gitPack / 1048576.0:0.00} MiB ({gitPerThousand:0.0} MiB per 1,000 commits)");
            summary.Record("Ledger size per 1,000 commits (this repository replayed)", $"{perThousand:0.0} MiB", $"{gitPerThousand:0.0} MiB (git pack, same history)", ResultTable.Ratio(perThousand / gitPerThousand), "recorded");
            summary.Record("Blob deduplication ratio on the same edit stream", ResultTable.Ratio(dedup), "–", "–", "recorded");
            yield return table;
        }
    }

    /// <summary>Approves one proposal per git commit; files the runtime refuses (protected paths) are left out.</summary>
    private static void ApplyAsProposals(BenchWorkspace workspace, List<FileIntent> files)
    {
        foreach (var chunk in files.Chunk(400))
        {
            try
            {
                workspace.ApproveAll(workspace.StageFiles(chunk));
            }
            catch (InvalidOperationException)
            {
                foreach (var file in chunk)
                {
                    try
                    {
                        workspace.ApproveAll(workspace.StageFiles([file]));
                    }
                    catch (InvalidOperationException)
                    {
                        // Refused by the built-in protections or the policy: not part of what an agent could propose.
                    }
                }
            }
        }
    }

    private static IEnumerable<(char Status, string Path)> ChangedFiles(string repository, string? previous, string commit)
    {
        var arguments = previous is null
            ? new[] { "show", "--no-renames", "--name-status", "--format=", commit }
            : ["diff", "--no-renames", "--name-status", previous, commit];
        foreach (var line in Processes.Run("git", arguments, repository).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            yield return (parts[0][0], parts[1]);
        }
    }

    private static long GitPackBytes(string repository, string commit)
    {
        var objects = Processes.Run("git", ["rev-list", "--objects", "--first-parent", commit], repository);
        var pack = Processes.Run("bash", ["-c", "git pack-objects --stdout -q | wc -c"], repository, standardInput: objects);
        return long.Parse(pack.Trim(), CultureInfo.InvariantCulture);
    }
}
