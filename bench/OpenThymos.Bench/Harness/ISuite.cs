// One group of measurements with its anchors.
namespace OpenThymos.Bench.Harness;

/// <summary>A suite measures one goal of issue 5 next to its anchor and fills tables and the summary.</summary>
internal interface ISuite
{
    /// <summary>The name used on the command line (e.g. <c>approve</c>).</summary>
    string Name { get; }

    /// <summary>Runs every row; in smoke mode with tiny sizes.</summary>
    IEnumerable<ResultTable> Run(BenchContext context, Summary summary);
}
