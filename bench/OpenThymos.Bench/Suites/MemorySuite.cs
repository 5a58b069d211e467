// Peak memory (RSS) of the sidecar with the longest ledger open and a timeline page served.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Starts the shipped sidecar on the largest ledger the verify suite built (1M entries in a full
/// run), asks for a timeline page, and reads the peak resident set (VmHWM). Anchors: the same build
/// on a small ledger, and the Node server of the cold-start row.
/// </summary>
internal sealed class MemorySuite : ISuite
{
    public string Name => "memory";

    public IEnumerable<ResultTable> Run(BenchContext context, Summary summary)
    {
        var build = ColdStartSuite.ShippedBuild ?? SidecarBuilds.ShippedAlone(context);
        var large = VerifyReplaySuite.Largest ?? SyntheticLedger.Build(context.NewFolder("memory-large"), context.Size(1_000_000, 3000));
        var small = SyntheticLedger.Build(context.NewFolder("memory-small"), 30);
        var table = new ResultTable("Peak memory (RSS) of the sidecar with a timeline page served", "< 150 MB with a 1M-entry ledger open.",
            "server", "ledger entries", "start to initialize ms", "peak RSS MiB");

        var (largeStart, largeRss) = Peak(build, large);
        var (smallStart, smallRss) = Peak(build, small);
        double nodeRss;
        using (var node = LspProcess.Start("node", [Path.Combine(context.RepositoryRoot, "bench", "node", "lsp-server.mjs")], context.Scratch))
        {
            node.Request("initialize", LspProcess.InitializeParams());
            nodeRss = node.PeakResidentMiB();
            node.Stop();
        }

        var largeEntries = large.LedgerEntryCount();
        table.Add($"sidecar ({build.Name})", largeEntries.ToString("N0", CultureInfo.InvariantCulture), ResultTable.Ms(largeStart), largeRss.ToString("0.0", CultureInfo.InvariantCulture));
        table.Add($"anchor: sidecar ({build.Name})", small.LedgerEntryCount().ToString("N0", CultureInfo.InvariantCulture), ResultTable.Ms(smallStart), smallRss.ToString("0.0", CultureInfo.InvariantCulture));
        table.Add("anchor: Node vscode-jsonrpc server", "–", "–", nodeRss.ToString("0.0", CultureInfo.InvariantCulture));
        summary.Add($"Peak RSS, {largeEntries:N0}-entry ledger open, timeline page served", largeRss.ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
            smallRss.ToString("0.0", CultureInfo.InvariantCulture) + " MiB (same sidecar, 30 entries)", ResultTable.Ratio(largeRss / smallRss), "< 150 MB", largeRss * 1.048576 < 150);
        yield return table;
    }

    private static (double StartMilliseconds, double PeakMiB) Peak(SidecarBuild build, BenchWorkspace workspace)
    {
        var start = Stopwatch.GetTimestamp();
        using var server = LspProcess.Start(build.FileName, build.Arguments(workspace.WorkspaceRoot, workspace.KeyDirectory), workspace.WorkspaceRoot);
        server.Request("initialize", LspProcess.InitializeParams());
        var startMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        server.Notify("initialized", new JsonObject());
        var page = server.Request("ledger/listEntries", new JsonObject { ["limit"] = 100 });
        if (page?["entries"]?.AsArray().Count is not > 0)
        {
            throw new InvalidOperationException("The sidecar served an empty timeline page for a non-empty ledger.");
        }

        var peak = server.PeakResidentMiB();
        server.Stop();
        return (startMilliseconds, peak);
    }
}
