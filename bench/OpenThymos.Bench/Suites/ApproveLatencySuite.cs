// Approve → durable commit latency (one hunk, one file) next to a raw 1 KiB fsync'd append on the same disk.
using System.Diagnostics;
using System.Globalization;
using OpenThymos.Bench.Anchors;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Each iteration stages a one-hunk edit (untimed), then times one raw append and one approval
/// back to back, so both series see the same moment of machine noise. The breakdown rows split each
/// approval into the runtime's steps (<see cref="RuntimeStepMeter.LastApprovalSteps"/>, the workspace's runtime meter) and the ledger
/// store's transaction and log fsync (<see cref="LiteDbStoreMeter"/> counters).
/// </summary>
internal sealed class ApproveLatencySuite : ISuite
{
    public string Name => "approve";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var folder = context.NewFolder("approve");
        using var raw = new RawFsyncAppend(folder);
        using var workspace = BenchWorkspace.Open(Path.Combine(folder, "ws"));
        workspace.Write("app.txt", string.Concat(Enumerable.Range(0, 200).Select(i => $"setting {i} = 0\n")));
        var store = workspace.Meter;

        // The protocol's unavoidable file operations alone: a 3 KiB temp file like app.txt after the edit,
        // 4 LiteDB pages (what the approval's transaction writes to the log) appended and fsynced, one rename.
        using var floor = new ApproveSyscallFloor(folder, fileBytes: 3090, logBytes: 4 * 8192);

        var warmup = context.Size(20, 2);
        var iterations = context.Size(300, 5);
        var rawTimes = new List<double>();
        var floorTimes = new List<double>();
        var floorParts = new List<(double TempFile, double LogFsync, double Rename)>();
        var approveTimes = new List<double>();
        var steps = new Dictionary<string, List<double>>();
        var logFsyncs = 0L;
        var logPages = 0L;
        var logBytes = 0L;
        var dataFsyncs = 0L;
        for (var index = 0; index < warmup + iterations; index++)
        {
            var line = index % 200;
            var proposal = workspace.StageEdit("app.txt", $"setting {line} = {index / 200}\n", $"setting {line} = {index / 200 + 1}\n");

            var start = Stopwatch.GetTimestamp();
            raw.Append();
            var rawMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            start = Stopwatch.GetTimestamp();
            var parts = floor.Run();
            var floorMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            var before = StoreCounters.Of(store);
            start = Stopwatch.GetTimestamp();
            workspace.ApproveAll(proposal);
            var approveMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var after = StoreCounters.Of(store);
            if (index >= warmup)
            {
                rawTimes.Add(rawMs);
                floorTimes.Add(floorMs);
                floorParts.Add(parts);
                approveTimes.Add(approveMs);
                logFsyncs += after.LogFsyncs - before.LogFsyncs;
                logPages += after.LogPages - before.LogPages;
                logBytes += after.LogBytes - before.LogBytes;
                dataFsyncs += after.DataFsyncs - before.DataFsyncs;
                Record(steps, workspace.Steps.LastApprovalSteps, after.Minus(before), approveMs);
            }
        }

        var ours = new Samples(approveTimes);
        var anchor = new Samples(rawTimes);
        var table = new ResultTable("Approve → durable commit (one hunk, one file)", "p50 within 2× of a raw 1 KiB append + fsync on the same disk.",
            "operation", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
        table.AddLatency("approve one hunk → commit entry durable (ThymosRuntime.Approve)", ours);
        table.AddLatency("anchor: raw 1 KiB append + fsync", anchor);
        var floorSamples = new Samples(floorTimes);
        table.AddLatency("floor: the protocol's file operations alone (3 KiB temp file, 32 KiB log append + fsync, rename over the target)", floorSamples);
        table.AddLatency("floor part: temp file create + write", new Samples(floorParts.Select(p => p.TempFile)));
        table.AddLatency("floor part: 32 KiB log append + fsync", new Samples(floorParts.Select(p => p.LogFsync)));
        table.AddLatency("floor part: rename over the target", new Samples(floorParts.Select(p => p.Rename)));
        foreach (var (step, times) in steps)
        {
            table.AddLatency("breakdown: " + step, new Samples(times));
        }

        var ratio = ours.Median / anchor.Median;
        var logFsyncMedian = steps["durable wait: log fsync"].Order().ElementAt(steps["durable wait: log fsync"].Count / 2);
        string PerApproval(long total) => ((double)total / iterations).ToString("0.0", CultureInfo.InvariantCulture);
        table.Note($"Ratio of medians: {ResultTable.Ratio(ratio)}. Ledger log fsyncs per approval: {PerApproval(logFsyncs)} "
            + "(approval and commit entries in one transaction); the temp file is renamed into place without an fsync before the acknowledgement, "
            + "and the file, directory and applied-through-mark fsyncs and the head anchor run in the background, overlapping the next iterations (see docs/ledger-format.md, The write protocol).");
        table.Note($"Per approval, LiteDB wrote {PerApproval(logPages)} log pages ({PerApproval(logBytes / 1024)} KiB) before its fsync (the anchor writes 1 KiB); "
            + $"data-file fsyncs (checkpoints) per approval: {((double)dataFsyncs / iterations).ToString("0.000", CultureInfo.InvariantCulture)}. "
            + "The breakdown rows are per-step durations of the same approvals, each summarized on its own (their medians need not add up to the total's). "
            + $"Against the raw append's median: the floor row is {ResultTable.Ratio(floorSamples.Median / anchor.Median)}, the approval's log fsync alone {ResultTable.Ratio(logFsyncMedian / anchor.Median)}.");
        summary.Add("Approve → durable commit, p50", ResultTable.Ms(ours.Median) + " ms", ResultTable.Ms(anchor.Median) + " ms (raw 1 KiB append + fsync)", ResultTable.Ratio(ratio), "≤ 2×", ratio <= 2);
        yield return table;
    }

    private static void Record(Dictionary<string, List<double>> steps, ApprovalSteps approval, StoreCounters store, double totalMs)
    {
        static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        void Add(string step, double ms)
        {
            if (!steps.TryGetValue(step, out var list))
            {
                steps[step] = list = [];
            }

            list.Add(ms);
        }

        var inSteps = approval.Checks + approval.DiskCheck + approval.Plan + approval.StageFiles + approval.LedgerStage + approval.Durable + approval.Publish;
        Add("checks (proposal, selection, writ, policy file load + evaluation)", Ms(approval.Checks));
        Add("target file read + hash (changed underneath?)", Ms(approval.DiskCheck));
        Add("plan (base blob read, hunk application, after-state hash)", Ms(approval.Plan));
        Add("confinement + temp file write (no fsync)", Ms(approval.StageFiles));
        Add("approval + commit entries serialized, hashed, staged, folded", Ms(approval.LedgerStage));
        Add("durable wait: LiteDB transaction (begin to commit, log pages written)", Ms(store.TransactionTicks));
        Add("durable wait: log fsync", Ms(store.LogFsyncTicks));
        Add("durable wait: data-file fsync (checkpoint)", Ms(store.DataFsyncTicks));
        Add("durable wait: rest (queue, group-commit hand-off, events, head anchor hand-off)", Ms(approval.Durable - store.TransactionTicks - store.LogFsyncTicks - store.DataFsyncTicks));
        Add("rename into place + background fsync queued", Ms(approval.Publish));
        Add("outside the steps (GetProposal, runtime lock, Run's durable wait, notifications)", totalMs - Ms(inSteps));
    }

    /// <summary>The store's cumulative write counters at one instant.</summary>
    private readonly record struct StoreCounters(long LogFsyncs, long LogPages, long LogBytes, long DataFsyncs, long TransactionTicks, long LogFsyncTicks, long DataFsyncTicks)
    {
        public static StoreCounters Of(LiteDbStoreMeter store) =>
            new(store.LogFsyncCount, store.LogPagesWritten, store.LogBytesWritten, store.DataFsyncCount, store.TransactionTicks, store.LogFsyncTicks, store.DataFsyncTicks);

        public StoreCounters Minus(StoreCounters other) =>
            new(LogFsyncs - other.LogFsyncs, LogPages - other.LogPages, LogBytes - other.LogBytes, DataFsyncs - other.DataFsyncs,
                TransactionTicks - other.TransactionTicks, LogFsyncTicks - other.LogFsyncTicks, DataFsyncTicks - other.DataFsyncTicks);
    }
}
