// How long the runtime's operations held its one lock, for the throughput benchmark.
namespace OpenThymos.Bench.Ledgers;

/// <summary>Operations run under the runtime's lock and the total time they held it.</summary>
/// <param name="Holds">How many operations took the lock.</param>
/// <param name="Held">The total time they held it.</param>
internal readonly record struct LockHoldStatistics(long Holds, TimeSpan Held)
{
    /// <summary>The mean hold time per operation, in microseconds (0 when nothing ran).</summary>
    public double MeanMicroseconds => Holds == 0 ? 0 : Held.TotalMicroseconds / Holds;

    /// <summary>The holds and time since an earlier reading.</summary>
    public LockHoldStatistics Since(LockHoldStatistics earlier) => new(Holds - earlier.Holds, Held - earlier.Held);
}
