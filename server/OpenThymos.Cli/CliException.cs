// An error that ends a command with a documented exit code and a message for stderr.
namespace OpenThymos.Cli;

/// <summary>Ends the current command with <paramref name="exitCode"/>; the message names what happened, where, and what to do.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
