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

    /// <summary>Seconds taken by one call.</summary>
    public static double Seconds(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
