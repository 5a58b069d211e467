// Sustained rate: how many operations complete per second, from one or many threads, for a fixed time.
using System.Diagnostics;

namespace OpenThymos.Bench.Harness;

/// <summary>Runs an operation in a loop on several threads for a duration and reports completions per second.</summary>
internal static class Throughput
{
    /// <summary>
    /// Calls <paramref name="operation"/> (with the worker index) on <paramref name="workers"/> threads
    /// until <paramref name="duration"/> has passed; returns completed operations per second.
    /// </summary>
    public static double PerSecond(int workers, TimeSpan duration, Action<int> operation)
    {
        long completed = 0;
        using var start = new Barrier(workers + 1);
        var stopAt = 0L;
        var threads = Enumerable.Range(0, workers).Select(worker => new Thread(() =>
        {
            start.SignalAndWait();
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
            {
                operation(worker);
                Interlocked.Increment(ref completed);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        var begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref stopAt, begin + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        start.SignalAndWait();
        threads.ForEach(thread => thread.Join());
        return Interlocked.Read(ref completed) / Stopwatch.GetElapsedTime(begin).TotalSeconds;
    }
}
