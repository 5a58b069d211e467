// Runs an operation with warm-up and collects one latency per iteration.
using System.Diagnostics;

namespace OpenThymos.Bench.Harness;

/// <summary>Warm-up then timed iterations; setup work that must not be timed goes in <c>prepare</c>.</summary>
internal static class Measure
{
    /// <summary>Milliseconds per call of <paramref name="operation"/>, after <paramref name="warmup"/> untimed calls.</summary>
    public static Samples Latency(int warmup, int iterations, Action operation) =>
        Latency(warmup, iterations, static () => { }, operation);

    /// <summary>Like <see cref="Latency(int, int, Action)"/>, calling <paramref name="prepare"/> untimed before each call.</summary>
    public static Samples Latency(int warmup, int iterations, Action prepare, Action operation)
    {
        for (var index = 0; index < warmup; index++)
        {
            prepare();
            operation();
        }

        var values = new double[iterations];
        for (var index = 0; index < iterations; index++)
        {
            prepare();
            var start = Stopwatch.GetTimestamp();
            operation();
            values[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return new Samples(values);
    }

    /// <summary>
    /// Wall seconds and this process's CPU seconds (user + system, every thread) taken by one call. On a
    /// shared machine the wall time grows with the load; the CPU time much less, so it tells what the
    /// work costs when the cores are free.
    /// </summary>
    public static (double Wall, double Cpu) WallAndCpuSeconds(Action operation)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        operation();
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    /// <summary>Seconds taken by one call.</summary>
    public static double Seconds(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
