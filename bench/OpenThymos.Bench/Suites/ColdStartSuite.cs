// Sidecar cold start to the initialize answer with the ledger open, per deployment, next to a Node server.
using System.Diagnostics;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Times from process start to the <c>initialize</c> response, the moment the editor can use the
/// sidecar (its ledger is open: the runtime opens and folds it before listening). Runs are
/// interleaved across builds so machine noise falls on all of them alike.
/// </summary>
internal sealed class ColdStartSuite : ISuite
{
    public string Name => "coldstart";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var builds = SidecarBuilds.All(context);
        ShippedBuild = SidecarBuilds.Shipped(context, builds);
        var folder = context.NewFolder("coldstart");
        var workspace = SyntheticLedger.Build(Path.Combine(folder, "ws"), context.Size(1000, 30));
        var nodeScript = Path.Combine(context.RepositoryRoot, "bench", "node", "lsp-server.mjs");
        var runnable = builds.Where(b => b.Failure is null).ToList();
        var runs = context.Size(15, 1);
        var times = runnable.ToDictionary(b => b.Name, _ => new List<double>());
        var nodeTimes = new List<double>();
        for (var run = -1; run < runs; run++)
        {
            foreach (var build in runnable)
            {
                var milliseconds = TimeToInitialize(build.FileName, build.Arguments(workspace.WorkspaceRoot, workspace.KeyDirectory), workspace.WorkspaceRoot);
                if (run >= 0)
                {
                    times[build.Name].Add(milliseconds);
                }
            }

            var nodeMilliseconds = TimeToInitialize("node", [nodeScript], folder);
            if (run >= 0)
            {
                nodeTimes.Add(nodeMilliseconds);
            }
        }

        var table = new ResultTable("Sidecar cold start to the initialize answer, ledger open", "< 150 ms, faster than a Node language server starts here.",
            "build", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "n");
        foreach (var build in builds)
        {
            if (build.Failure is not null)
            {
                table.Add(build.Name, "does not build", "", "", "", "", "0");
                table.Note($"{build.Name}: {build.Failure}");
                continue;
            }

            table.AddLatency(build.Name, new Samples(times[build.Name]));
        }

        var node = new Samples(nodeTimes);
        table.AddLatency("anchor: Node vscode-jsonrpc server (bench/node/lsp-server.mjs)", node);
        table.Note($"The ledger holds {workspace.LedgerEntryCount():N0} entries; every start opens it, takes the writer lock, folds it and opens the agent socket.");
        var shipped = new Samples(times[ShippedBuild.Name]);
        summary.Add($"Cold start to initialize, ledger open ({ShippedBuild.Name}), p50", ResultTable.Ms(shipped.Median) + " ms", ResultTable.Ms(node.Median) + " ms (Node server)", ResultTable.Ratio(shipped.Median / node.Median), "< 150 ms and < Node", shipped.Median < 150 && shipped.Median < node.Median);
        var fastest = runnable.Select(b => (b.Name, Samples: new Samples(times[b.Name]))).MinBy(pair => pair.Samples.Median);
        if (fastest.Name != ShippedBuild.Name)
        {
            summary.Add($"Cold start to initialize, ledger open (fastest build: {fastest.Name}), p50", ResultTable.Ms(fastest.Samples.Median) + " ms", ResultTable.Ms(node.Median) + " ms (Node server)", ResultTable.Ratio(fastest.Samples.Median / node.Median), "< 150 ms and < Node", fastest.Samples.Median < 150 && fastest.Samples.Median < node.Median);
        }

        yield return table;
    }

    /// <summary>The build the memory suite measures (what ships, or the local build in smoke mode).</summary>
    public static SidecarBuild? ShippedBuild { get; private set; }

    private static double TimeToInitialize(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = Stopwatch.GetTimestamp();
        using var server = LspProcess.Start(fileName, arguments, workingDirectory);
        server.Request("initialize", LspProcess.InitializeParams());
        var milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        server.Stop();
        return milliseconds;
    }
}
