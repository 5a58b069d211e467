// Runs a verb's body and turns failures into a message on stderr and a documented exit code.
using System.CommandLine;
using LiteDB;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Signing;

namespace OpenThymos.Cli.Commands;

/// <summary>Wraps verb actions with error handling.</summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/>, with error handling.</summary>
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((result, cancellationToken) => RunAsync(result, body, cancellationToken));

    private static async Task<int> RunAsync(ParseResult result, Func<ParseResult, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(result, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await Screen.ErrorAsync($"thymos: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is LedgerRolledBackException or WorkspaceCopiedException)
        {
            await Screen.ErrorAsync($"thymos: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.WorkspaceRefused;
        }
        catch (LedgerLockedException ex)
        {
            await Screen.ErrorAsync($"thymos: {ex.Message} Stop that process or retry once it finishes.").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException or WorkspaceKeyException or InvalidDataException or System.Text.Json.JsonException)
        {
            await Screen.ErrorAsync($"thymos: {ex.GetType().Name}: {ex.Message} (workspace {result.GetValue(GlobalOptions.Workspace) ?? Environment.CurrentDirectory}). Check the path and permissions, then retry; `thymos verify` checks the ledger.").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
    }
}
