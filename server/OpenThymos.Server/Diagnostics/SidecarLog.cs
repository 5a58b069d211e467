// A tiny leveled logger that writes timestamped lines to stderr, because stdout belongs to JSON-RPC.
namespace OpenThymos.Server.Diagnostics;

/// <summary>Log levels, most verbose first.</summary>
public enum LogLevel
{
    /// <summary>Every message.</summary>
    Trace,

    /// <summary>Diagnostics.</summary>
    Debug,

    /// <summary>Normal operation.</summary>
    Info,

    /// <summary>Something a user may want to know.</summary>
    Warn,

    /// <summary>Failures.</summary>
    Error,
}

/// <summary>Writes <c>2026-01-01T00:00:00.000Z LEVEL message</c> lines to a writer (stderr by default).</summary>
public sealed class SidecarLog(TextWriter writer, LogLevel minimum)
{
    private readonly Lock _gate = new();

    /// <summary>The least severe level written.</summary>
    public LogLevel Minimum { get; } = minimum;

    /// <summary>A logger that writes nothing (tests).</summary>
    public static SidecarLog Silent { get; } = new(TextWriter.Null, LogLevel.Error);

    /// <summary>Parses trace, debug, info, warn or error.</summary>
    public static bool TryParseLevel(string text, out LogLevel level)
    {
        (var ok, level) = text switch
        {
            "trace" => (true, LogLevel.Trace),
            "debug" => (true, LogLevel.Debug),
            "info" => (true, LogLevel.Info),
            "warn" => (true, LogLevel.Warn),
            "error" => (true, LogLevel.Error),
            _ => (false, LogLevel.Info),
        };
        return ok;
    }

    /// <summary>True when messages at this level are written.</summary>
    public bool IsEnabled(LogLevel level) => level >= Minimum;

    /// <summary>Writes a trace line.</summary>
    public void Trace(string message) => Write(LogLevel.Trace, message);

    /// <summary>Writes a debug line.</summary>
    public void Debug(string message) => Write(LogLevel.Debug, message);

    /// <summary>Writes an info line.</summary>
    public void Info(string message) => Write(LogLevel.Info, message);

    /// <summary>Writes a warning line.</summary>
    public void Warn(string message) => Write(LogLevel.Warn, message);

    /// <summary>Writes an error line, with the exception and its stack when given.</summary>
    public void Error(string message, Exception? exception = null) =>
        Write(LogLevel.Error, exception is null ? message : message + Environment.NewLine + exception);

    /// <summary>Writes one line if the level is enabled.</summary>
    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }
        var prefix = level switch
        {
            LogLevel.Trace => "TRACE",
            LogLevel.Debug => "DEBUG",
            LogLevel.Info => "INFO ",
            LogLevel.Warn => "WARN ",
            _ => "ERROR",
        };
        lock (_gate)
        {
            writer.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {prefix} {message}");
            writer.Flush();
        }
    }
}
