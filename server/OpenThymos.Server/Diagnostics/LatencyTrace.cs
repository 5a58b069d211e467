// Optional per-proposal timestamps of the path from an agent's intent/submit to the editor's proposal/didChange, for the benchmark.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace OpenThymos.Server.Diagnostics;

/// <summary>
/// Records, per proposal, when each hop of a submission happened, on the monotonic clock (<see cref="Stopwatch"/> on
/// Linux reads CLOCK_MONOTONIC, the clock Node's <c>process.hrtime</c> reads, so the benchmark client can line its own
/// timestamps up with these). Off unless the environment variable <see cref="EnvironmentVariable"/> names a file; the
/// rows are written there as JSON lines at shutdown. Only the first mark of each point counts.
/// </summary>
public sealed class LatencyTrace
{
    /// <summary>The environment variable naming the file the trace is written to at shutdown.</summary>
    public const string EnvironmentVariable = "OPENTHYMOS_LATENCY_TRACE";

    /// <summary>Proposals traced at most, so a forgotten variable cannot grow memory without bound.</summary>
    private const int MaxRows = 100_000;

    private static readonly string[] PointNames = Enum.GetNames<LatencyPoint>();
    private readonly ConcurrentDictionary<string, long[]> _rows = new(StringComparer.Ordinal);
    private readonly string _path;

    private LatencyTrace(string path) => _path = path;

    /// <summary>The trace the environment asks for, or null (the normal case: nothing is recorded).</summary>
    public static LatencyTrace? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? new LatencyTrace(path) : null;

    /// <summary>Now, in the trace's clock.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Records <paramref name="point"/> of proposal <paramref name="proposalId"/> at <paramref name="timestamp"/> (0 is ignored).</summary>
    public void Mark(string proposalId, LatencyPoint point, long timestamp)
    {
        if (timestamp == 0 || (_rows.Count >= MaxRows && !_rows.ContainsKey(proposalId)))
        {
            return;
        }
        var row = _rows.GetOrAdd(proposalId, static _ => new long[PointNames.Length]);
        Interlocked.CompareExchange(ref row[(int)point], timestamp, 0);
    }

    /// <summary>Writes every row as one JSON object per line: the proposal id and each point in nanoseconds.</summary>
    public void Save()
    {
        var text = new StringBuilder();
        var nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
        foreach (var (proposalId, row) in _rows)
        {
            text.Append("{\"proposalId\":\"").Append(proposalId).Append('"');
            for (var point = 0; point < row.Length; point++)
            {
                text.Append(",\"").Append(PointNames[point]).Append("\":")
                    .Append(((long)(row[point] * nanosecondsPerTick)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            text.Append("}\n");
        }
        File.WriteAllText(_path, text.ToString());
    }
}
