// The verb an operator runs to go on from a ledger restored from an older copy, recording the rollback in the ledger.
using System.CommandLine;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds <c>thymos accept-restored</c>.</summary>
internal static class RestoreCommands
{
    /// <summary><c>thymos accept-restored</c>.</summary>
    public static Command AcceptRestored()
    {
        var command = new Command(
            "accept-restored",
            "Go on from a ledger that is behind its signed head anchor or witness (restored from an older copy): append a ledger.rollback-accepted entry naming "
            + "the head that was recorded and the head the ledger has, so the rollback is never silent. The sidecar must be stopped.");
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var location = GlobalOptions.Location(result);
            location.RequireLedger();
            location.RequireOwnWorkspace();
            if (location.SocketPath is { } socket && File.Exists(socket))
            {
                await using var running = await SocketBackend.TryConnectAsync(socket, () => File.ReadAllText(location.OperatorTokenPath!).Trim(), ct).ConfigureAwait(false);
                if (running is not null)
                {
                    throw new CliException(ExitCodes.Refused, $"A sidecar is serving {location.Root}: it opened the ledger, so the ledger is not behind its head records and there is nothing to accept.");
                }
            }

            var accepted = new LocalBackend(location).WithRuntime(runtime => runtime.Ledger.AcceptedRollback, acceptRestoredLedger: true);
            Screen.Line(accepted is null
                ? $"The ledger {location.LedgerPath} reaches its signed head anchor and witness: nothing to accept."
                : $"Recorded entry {accepted.Seq} ({EntryKind.RollbackAccepted}): the ledger goes on from its restored head; the entries the head records named after it are gone. `thymos verify` checks it.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
