// Summary statistics of one measured series: median, tail percentiles, min and max.
namespace OpenThymos.Bench.Harness;

/// <summary>A series of measurements in one unit (milliseconds for latencies), summarized by rank.</summary>
internal sealed class Samples
{
    private readonly double[] _sorted;

    public Samples(IEnumerable<double> values)
    {
        _sorted = [.. values.Order()];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("A series needs at least one measurement.", nameof(values));
        }
    }

    public int Count => _sorted.Length;

    public double Median => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    /// <summary>Nearest-rank percentile, so a reported p99 is a value that was really observed.</summary>
    public double Percentile(double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }
}
