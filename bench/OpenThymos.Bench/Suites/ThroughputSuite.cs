// Sustained durable ledger throughput with many concurrent agents, next to SQLite (WAL, FULL) and git.
using OpenThymos.Bench.Anchors;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Every figure is durable appends per second: each counted append had returned, and a return is
/// the acknowledgement that it is on stable storage. The anchors run in the same process, on the
/// same disk, right before and after ours.
/// </summary>
internal sealed class ThroughputSuite : ISuite
{
    public string Name => "throughput";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var folder = context.NewFolder("throughput");
        var duration = TimeSpan.FromSeconds(context.Smoke ? 0.3 : 5);
        const int Agents = 16;
        var table = new ResultTable("Sustained durable ledger throughput", "at or above SQLite (WAL, synchronous=FULL, one row per transaction) and at least 50× git (one commit per change).",
            "writer", "concurrent writers", "durable appends/s");

        double raw;
        using (var file = new RawFsyncAppend(folder))
        {
            raw = Throughput.PerSecond(1, duration, _ => file.Append());
        }

        double sqlite;
        using (var database = new SqliteWalLedger(folder))
        {
            sqlite = Throughput.PerSecond(1, duration, _ => database.AppendOne());
        }

        var git = new GitLedger(context.NewFolder("throughput-git"));
        var gitRate = Throughput.PerSecond(1, duration, _ => git.CommitOneChange());

        var payload = TypicalCommitPayload();
        double ledgerOne;
        double ledgerMany;
        double entriesPerTransaction;
        using (var workspace = BenchWorkspace.Create(Path.Combine(folder, "ledger")))
        using (var ledger = WorkspaceLedger.Open(workspace.LedgerOptions))
        {
            ledgerOne = Throughput.PerSecond(1, duration, _ => ledger.AppendMany([new PendingEntry(EntryKind.Commit, "human:bench", payload)], []));
            var (entriesBefore, transactionsBefore) = (ledger.Head.Seq, ledger.GroupCommitCount);
            ledgerMany = Throughput.PerSecond(Agents, duration, _ => ledger.AppendMany([new PendingEntry(EntryKind.Commit, "human:bench", payload)], []));
            entriesPerTransaction = (ledger.Head.Seq - entriesBefore) / (double)Math.Max(1, ledger.GroupCommitCount - transactionsBefore);
        }

        double runtimeMany;
        ResultTable breakdown;
        using (var workspace = BenchWorkspace.Open(Path.Combine(folder, "runtime")))
        {
            var sessions = Enumerable.Range(0, Agents).Select(agent => workspace.Grant($"agent{agent}")).ToArray();
            for (var agent = 0; agent < Agents; agent++)
            {
                workspace.Write($"agent{agent}.txt", "value = 0\n");
            }

            var counters = new int[Agents];
            var holdsBefore = workspace.Steps.LockHolds;
            runtimeMany = Throughput.PerSecond(Agents, duration, agent =>
                workspace.StageEdit($"agent{agent}.txt", "value = 0\n", $"value = {++counters[agent]}\n", sessions[agent]));
            var holds = workspace.Steps.LockHolds.Since(holdsBefore);
            breakdown = SubmitCostBreakdown.Measure(workspace, "agent0.txt", "value = 0\n", "value = -1\n", sessions[0], holds, context.Smoke ? 50 : 5000);
        }

        table.Add("anchor: raw 1 KiB append + fsync", "1", ResultTable.Rate(raw));
        table.Add("anchor: SQLite WAL, synchronous=FULL, one 1 KiB row per transaction", "1", ResultTable.Rate(sqlite));
        table.Add("anchor: git, one `git commit -a` per change", "1", ResultTable.Rate(gitRate));
        table.Add("OpenThymos ledger: one commit entry per append (WorkspaceLedger.AppendMany)", "1", ResultTable.Rate(ledgerOne));
        table.Add("OpenThymos ledger: one commit entry per append", Agents.ToString(System.Globalization.CultureInfo.InvariantCulture), ResultTable.Rate(ledgerMany));
        table.Add("OpenThymos runtime: agents submitting one-hunk proposals (each a durable proposal.staged entry)", Agents.ToString(System.Globalization.CultureInfo.InvariantCulture), ResultTable.Rate(runtimeMany));
        table.Note($"With {Agents} writers the ledger group-committed {entriesPerTransaction.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} entries per transaction (one fsync each).");
        table.Note($"Ledger with {Agents} writers vs SQLite: {ResultTable.Ratio(ledgerMany / sqlite)}; vs git: {ResultTable.Ratio(ledgerMany / gitRate)}; SQLite is {ResultTable.Ratio(sqlite / raw)} of raw fsync.");
        summary.Add($"Durable ledger throughput, {Agents} concurrent writers, vs SQLite FULL", ResultTable.Rate(ledgerMany) + " appends/s", ResultTable.Rate(sqlite) + " rows/s (SQLite WAL FULL)", ResultTable.Ratio(ledgerMany / sqlite), "≥ 1×", ledgerMany >= sqlite);
        summary.Add($"Durable ledger throughput, {Agents} concurrent writers, vs git", ResultTable.Rate(ledgerMany) + " appends/s", ResultTable.Rate(gitRate) + " commits/s (git)", ResultTable.Ratio(ledgerMany / gitRate), "≥ 50×", ledgerMany >= 50 * gitRate);
        summary.Add($"Runtime throughput, {Agents} agents submitting proposals, vs SQLite FULL", ResultTable.Rate(runtimeMany) + " proposals/s", ResultTable.Rate(sqlite) + " rows/s (SQLite WAL FULL)", ResultTable.Ratio(runtimeMany / sqlite), "≥ 1×", runtimeMany >= sqlite);
        yield return table;
        yield return breakdown;
    }

    /// <summary>The canonical payload of a commit of one file with two hunks, as the runtime writes it.</summary>
    public static byte[] TypicalCommitPayload()
    {
        static string Hex(int seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed)));
        var payload = new CommitPayload(
            "p_3f2a9c81d4e07b65", 1, "w_9b1c4e7a2d5f8a03", "claude-code", "human:alice", 41, Hex(1),
            ["src/services/billing/invoice.ts#h1", "src/services/billing/invoice.ts#h2"],
            [new FileChangeRecord("src/services/billing/invoice.ts", Hex(2), Hex(3), null)], false);
        return WorkspaceLedger.Serialize(payload, LedgerJsonContext.Default.CommitPayload);
    }
}
