// Proposal submitted by an agent → proposal/didChange received by a vscode-jsonrpc client over stdio.
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenThymos.Bench.Harness;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Runs bench/node/proposal-latency.mjs, which drives the real sidecar with VS Code's own JSON-RPC
/// library: an agent submits over the socket and the editor connection times the notification.
/// The anchor is a small editor request round trip (policy/get) on the same connection, same run.
/// </summary>
internal sealed class ProposalNotificationSuite : ISuite
{
    public string Name => "notify";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var build = ColdStartSuite.ShippedBuild ?? SidecarBuilds.FrameworkDependent(context);
        var script = Path.Combine(context.RepositoryRoot, "bench", "node", "proposal-latency.mjs");
        var output = Processes.Run("node", [script], context.RepositoryRoot, new Dictionary<string, string>
        {
            ["BENCH_SIDECAR"] = JsonSerializer.Serialize(new JsonArray([build.FileName, .. build.Prefix.Select(p => JsonValue.Create(p))])),
            ["BENCH_FOLDER"] = context.NewFolder("notify"),
            ["BENCH_ITERATIONS"] = context.Size(300, 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BENCH_WARMUP"] = context.Size(30, 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        var ours = new Samples(result["didChangeMs"]!.AsArray().Select(v => v!.GetValue<double>()));
        var anchor = new Samples(result["roundTripMs"]!.AsArray().Select(v => v!.GetValue<double>()));
        var table = new ResultTable($"Proposal → proposal/didChange over stdio (vscode-jsonrpc client, sidecar: {build.Name})", "p50 < 2 ms, p99 < 10 ms.",
            "path", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
        table.AddLatency("agent intent/submit sent → editor receives proposal/didChange (pending)", ours);
        table.AddLatency("anchor: editor policy/get round trip on the same connection", anchor);
        AddHops(table, result["hops"]?.AsObject());
        var (submit, raw) = SubmitInProcess(context);
        table.AddLatency("breakdown: ThymosRuntime.Submit in-process (compile + one durable proposal.staged entry), same edit", submit);
        table.AddLatency("breakdown: raw 1 KiB append + fsync, interleaved with the in-process submits", raw);
        table.Note("The notification is sent after the proposal.staged entry is durable (one ledger fsync), so the editor never shows a proposal that a crash could lose. "
            + "The hop rows come from timestamps taken inside the sidecar (OPENTHYMOS_LATENCY_TRACE) and in the client on the one monotonic clock both read, for the same submissions as the first row; each row is the time from the previous point, its own distribution, so the p50s add up only roughly. "
            + "The breakdown rows time the same submission without JSON-RPC, in this process, right after the sidecar run: the difference to the first row is transport, thread hops and notification delivery.");
        summary.Add("Proposal → didChange, p50", ResultTable.Ms(ours.Median) + " ms", ResultTable.Ms(anchor.Median) + " ms (round trip, same connection)", ResultTable.Ratio(ours.Median / anchor.Median), "< 2 ms", ours.Median < 2);
        summary.Add("Proposal → didChange, p99", ResultTable.Ms(ours.P99) + " ms", ResultTable.Ms(anchor.P99) + " ms (round trip, same connection)", ResultTable.Ratio(ours.P99 / anchor.P99), "< 10 ms", ours.P99 < 10);
        yield return table;
    }

    /// <summary>Where the time goes: each hop's own time (from the previous point, per submission), in the order the hops happen.</summary>
    private static readonly (string Point, string Description)[] Hops =
    [
        ("Received", "agent's send → sidecar has read the whole intent/submit from the socket"),
        ("Dispatched", "→ StreamJsonRpc calls the intent/submit handler"),
        ("SubmitStarted", "→ ThymosRuntime.Submit starts on a pool thread"),
        ("Durable", "→ proposal.staged is durable (compile, stage, fsync; the runtime's share)"),
        ("ChangeRaised", "→ the runtime raises ProposalChanged"),
        ("Enqueued", "→ proposal/didChange is queued for every entitled connection"),
        ("Sending", "→ a drainer takes the editor's queue"),
        ("Formatted", "→ StreamJsonRpc has formatted the batch (ledger/didAppend + proposal/didChange)"),
        ("Written", "→ the batch is written to stdout and flushed"),
        ("ClientBytesArrived", "→ Node delivers the bytes to the client ('data' event)"),
        ("ClientHandled", "→ vscode-jsonrpc calls the proposal/didChange handler"),
        ("OutsideRuntime", "whole path minus the runtime's share (transport, hops, delivery)"),
    ];

    private static void AddHops(ResultTable table, JsonObject? hops)
    {
        if (hops is null || hops.Count == 0)
        {
            table.Note("The sidecar wrote no latency trace (OPENTHYMOS_LATENCY_TRACE), so there is no hop breakdown.");
            return;
        }
        foreach (var (point, description) in Hops)
        {
            if (hops[point] is JsonArray values && values.Count > 0)
            {
                table.AddLatency("hop: " + description, new Samples(values.Select(v => v!.GetValue<double>())));
            }
        }
    }

    /// <summary>Times the runtime's own part of a submission, interleaved with a raw fsync'd append.</summary>
    private static (Samples Submit, Samples Raw) SubmitInProcess(BenchContext context)
    {
        var folder = context.NewFolder("notify-breakdown");
        using var raw = new Anchors.RawFsyncAppend(folder);
        using var workspace = Ledgers.BenchWorkspace.Open(Path.Combine(folder, "ws"));
        workspace.Write("app.txt", string.Concat(Enumerable.Range(0, 200).Select(i => $"setting {i} = 0\n")));
        var warmup = context.Size(30, 1);
        var iterations = context.Size(300, 5);
        var submitTimes = new List<double>();
        var rawTimes = new List<double>();
        for (var index = 0; index < warmup + iterations; index++)
        {
            var line = index % 200;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            raw.Append();
            var rawMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = System.Diagnostics.Stopwatch.GetTimestamp();
            workspace.StageEdit("app.txt", $"setting {line} = 0\n", $"setting {line} = {index + 1}\n");
            var submitMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (index >= warmup)
            {
                submitTimes.Add(submitMs);
                rawTimes.Add(rawMs);
            }
        }

        return (new Samples(submitTimes), new Samples(rawTimes));
    }
}
