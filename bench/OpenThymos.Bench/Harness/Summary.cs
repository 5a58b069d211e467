// The one table that answers issue 5: each goal, our figure, the anchor's figure from the same run, the ratio.
namespace OpenThymos.Bench.Harness;

/// <summary>Collects one row per goal as the suites run.</summary>
internal sealed class Summary
{
    private readonly ResultTable _table = new(
        "Summary: every goal against its anchor (same run)",
        "",
        "goal", "ours", "anchor (same run)", "ratio", "target", "verdict");

    public void Add(string goal, string ours, string anchor, string ratio, string target, bool met) =>
        _table.Add(goal, ours, anchor, ratio, target, ResultTable.Verdict(met));

    /// <summary>A row whose goal has no pass/fail (a figure to record).</summary>
    public void Record(string goal, string ours, string anchor, string ratio, string target) =>
        _table.Add(goal, ours, anchor, ratio, target, "recorded");

    public ResultTable Table => _table;
}
