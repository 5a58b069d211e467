// An error that ends a command with a documented exit code and a message for stderr.
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Errors;

/// <summary>Ends the current command with <paramref name="exitCode"/>; the message names what happened, where, and what to do.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>
    /// A refusal with one of the protocol's stable codes (from the sidecar, or from the surface called in-process): a
    /// session, params or runtime refusal exits with <see cref="ExitCodes.Refused"/>, anything else (shutting down,
    /// cancelled, an internal fault) with <see cref="ExitCodes.Unavailable"/>. The one mapping for both backends.
    /// </summary>
    public static CliException FromCode(int code, string message) =>
        new(code == ErrorCodes.SessionRequired || code >= ErrorCodes.RuntimeErrorBase || code == ErrorCodes.InvalidParams ? ExitCodes.Refused : ExitCodes.Unavailable, message);
}
