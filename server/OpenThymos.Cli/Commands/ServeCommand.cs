// `thymos serve`: run the sidecar headless for the folder until Ctrl-C or SIGTERM.
using System.CommandLine;
using System.Runtime.InteropServices;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Workspace;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds <c>thymos serve</c>.</summary>
internal static class ServeCommand
{
    /// <summary><c>thymos serve</c>.</summary>
    public static Command Create()
    {
        var logLevel = new Option<string?>("--log-level") { Description = "The sidecar's log level (trace, debug, information, warning, error)." };
        var command = new Command("serve", "Run the sidecar headless for the workspace (agents and thymos connect to its socket) until Ctrl-C or SIGTERM.") { logLevel };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var location = GlobalOptions.Location(result);
            using var sidecar = SidecarLauncher.Start(location, result.GetValue(logLevel));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            await Screen.ErrorAsync($"thymos: sidecar (pid {sidecar.Id}) serving {location.Root}; key directory {location.KeyDirectory}. Ctrl-C to stop.").ConfigureAwait(false);
            try
            {
                await sidecar.WaitForExitAsync(stop.Token).ConfigureAwait(false);
                await Screen.ErrorAsync($"thymos: the sidecar for {location.Root} exited with code {sidecar.ExitCode}; see its messages above.").ConfigureAwait(false);
                // The sidecar's own exit codes: 5 refused the workspace as it is (rolled back or copied; its message is above).
                return sidecar.ExitCode switch
                {
                    0 => ExitCodes.Ok,
                    5 => ExitCodes.WorkspaceRefused,
                    _ => ExitCodes.Unavailable,
                };
            }
            catch (OperationCanceledException)
            {
                sidecar.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await sidecar.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    sidecar.Kill(entireProcessTree: true);
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
