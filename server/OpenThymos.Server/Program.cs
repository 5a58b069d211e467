// Entry point of the sidecar process: JSON-RPC over stdio for the editor, plus the agent socket.
using System.Runtime.InteropServices;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Sockets;
using OpenThymos.Server.Startup;

namespace OpenThymos.Server;

/// <summary>
/// Exit codes: 0 after shutdown+exit or when stdin closes; 1 for exit without shutdown or a startup
/// failure; 2 for bad arguments; 3 when another process holds the ledger (after answering the editor's
/// <c>initialize</c> with <c>LedgerHeld</c>) or serves the agent socket; 4 when the ledger cannot go on (a write
/// left the store in an unknown state; the reason is on stderr, and the editor restarts the sidecar, which reopens the
/// ledger from what is on disk); 5 when the workspace is refused as it is (after answering <c>initialize</c> with
/// <c>LedgerRolledBack</c> or <c>WorkspaceCopied</c>): its ledger is behind the head recorded outside the workspace, or
/// the folder is a copy of another workspace.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // stdout belongs to JSON-RPC: take the raw stream, then point Console.Out at stderr so no stray write can corrupt framing.
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);

        var (options, error) = ServerOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(ServerOptions.Usage);
            return 2;
        }
        var log = new SidecarLog(Console.Error, options.LogLevel);

        ThymosRuntime runtime;
        try
        {
            runtime = ThymosRuntime.Open(new RuntimeOptions
            {
                Ledger = new LedgerOptions
                {
                    WorkspaceRoot = Path.GetFullPath(options.Workspace),
                    StoreFactory = LedgerStores.Default,
                    KeyDirectory = options.KeyDirectory,
                    HolderDescription = $"OpenThymos sidecar (pid {Environment.ProcessId})",
                },
            });
        }
        catch (LedgerLockedException exception)
        {
            var held = $"The ledger is held by another process: {exception.Message}";
            log.Error(held);
            return await RefuseToServeAsync(options, stdout, RefusedExitCode.LedgerHeld, new StartRefusal(
                ErrorCodes.LedgerHeld,
                held + " Use the window that already has this folder open, or close it and run \"OpenThymos: Refresh\" here.",
                new StartRefusedData { Folder = Path.GetFullPath(options.Workspace) }));
        }
        catch (LedgerRolledBackException exception)
        {
            // A restored ledger: refuse to serve it rather than append to it (that would pass the loss off as honest history).
            log.Error(exception.Message);
            return await RefuseToServeAsync(options, stdout, RefusedExitCode.WorkspaceRefused, new StartRefusal(
                ErrorCodes.LedgerRolledBack,
                exception.Message + " Then run \"OpenThymos: Refresh\" to start OpenThymos here again.",
                new StartRefusedData { Folder = Path.GetFullPath(options.Workspace), Command = exception.AcceptCommand is { Length: > 0 } command ? command : null }));
        }
        catch (WorkspaceCopiedException exception)
        {
            // A copied workspace: refuse to act for (and on the key folder of) the folder it was copied from.
            log.Error(exception.Message);
            return await RefuseToServeAsync(options, stdout, RefusedExitCode.WorkspaceRefused, new StartRefusal(
                ErrorCodes.WorkspaceCopied,
                exception.Message + " Then run \"OpenThymos: Refresh\" to start OpenThymos here again.",
                new StartRefusedData { Folder = exception.CopyRoot, Command = exception.SeparateCommand }));
        }
        catch (Exception exception)
        {
            log.Error($"Could not open the workspace '{options.Workspace}'.", exception);
            return 1;
        }

        var keyDirectory = runtime.Ledger.KeyDirectory;
        var workspaceId = runtime.Ledger.WorkspaceId;
        OperatorToken? operatorToken = null;
        AgentSocketListener? listener = null;
        var socketPath = options.NoSocket ? "" : options.SocketPath ?? AgentSocketListener.DefaultPath(keyDirectory, workspaceId);
        if (!options.NoSocket)
        {
            operatorToken = OperatorToken.Generate(OperatorToken.DefaultPath(keyDirectory, workspaceId));
        }
        using var sidecar = new Sidecar(runtime, new SidecarSettings
        {
            MaxMessageBytes = options.MaxMessageBytes,
            SocketPath = socketPath,
            OperatorToken = operatorToken?.Value,
        }, log);
        try
        {
            if (!options.NoSocket)
            {
                try
                {
                    listener = AgentSocketListener.Start(socketPath, sidecar);
                    operatorToken!.Publish(); // after listen: a client that finds the token finds a socket that accepts
                }
                catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
                {
                    log.Error($"Could not open the agent socket or write its operator token: {exception.Message}");
                    return 3;
                }
            }

            var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                signalled.TrySetResult();
            });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                signalled.TrySetResult();
            });

            log.Info($"OpenThymos sidecar serving {runtime.WorkspaceRoot} (workspace {workspaceId}, head {runtime.Ledger.Head.Seq}).");
            var connection = sidecar.Attach(Console.OpenStandardInput(), stdout, isStdio: true);
            var finished = await Task.WhenAny(sidecar.ExitRequested, connection.Completion, signalled.Task);
            int exitCode;
            if (finished == sidecar.ExitRequested)
            {
                exitCode = await sidecar.ExitRequested;
                log.Info($"exit requested; exit code {exitCode}.");
            }
            else if (finished == signalled.Task)
            {
                exitCode = 0;
                log.Info("terminated by a signal.");
            }
            else
            {
                exitCode = 0;
                log.Info("stdin closed; exiting.");
            }
            await connection.Channel.StopAsync();
            return exitCode;
        }
        finally
        {
            listener?.Dispose();
            operatorToken?.Dispose();
            sidecar.Shutdown();
        }
    }

    /// <summary>The exit codes of a sidecar that refused to serve its folder.</summary>
    private static class RefusedExitCode
    {
        /// <summary>Another process holds the ledger.</summary>
        public const int LedgerHeld = 3;

        /// <summary>The ledger is behind its recorded head, or the folder is a copy of another workspace.</summary>
        public const int WorkspaceRefused = 5;
    }

    /// <summary>
    /// Refuses to serve the folder: a sidecar started by the editor tells it why in the answer to its <c>initialize</c>
    /// (so it is shown once and not restarted), then exits with <paramref name="exitCode"/>. Without <c>--stdio</c>
    /// (under <c>thymos serve</c>) nobody will send <c>initialize</c>: the log line already written is the message.
    /// </summary>
    private static async Task<int> RefuseToServeAsync(ServerOptions options, Stream stdout, int exitCode, StartRefusal refusal)
    {
        if (options.StartedByEditor)
        {
            await StartRefusalResponder.AnswerFirstRequestAsync(Console.OpenStandardInput(), stdout, refusal, TimeSpan.FromMinutes(1));
        }

        return exitCode;
    }
}
