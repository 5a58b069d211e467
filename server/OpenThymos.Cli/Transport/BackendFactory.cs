// Chooses how to reach the runtime: the running sidecar's socket when it answers, else the ledger directly.
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Workspace;
using OpenThymos.Core.Signing;

namespace OpenThymos.Cli.Transport;

/// <summary>Connects to a workspace as operator or agent.</summary>
internal static class BackendFactory
{
    /// <summary>The sidecar socket as operator when a sidecar answers, else <see cref="LocalBackend"/>.</summary>
    public static async Task<IOperatorBackend> OperatorAsync(WorkspaceLocation location, bool requireLedger, CancellationToken cancellationToken)
    {
        if (requireLedger)
        {
            location.RequireLedger();
        }

        location.RequireOwnWorkspace();
        if (location.SocketPath is { } socket)
        {
            var backend = await SocketBackend.TryConnectAsync(socket, () => ReadOperatorToken(location), cancellationToken).ConfigureAwait(false);
            if (backend is not null)
            {
                return backend;
            }
        }

        return new LocalBackend(location);
    }

    /// <summary>The sidecar socket as the agent of <paramref name="writToken"/> when a sidecar answers, else <see cref="LocalBackend"/>.</summary>
    public static async Task<IAgentBackend> AgentAsync(WorkspaceLocation location, string? writToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(writToken))
        {
            throw new CliException(ExitCodes.Usage, "No writ token: set THYMOS_WRIT, or pass --writ-file PATH (a file holding the token). An operator issues one with `thymos grant --agent NAME`.");
        }

        location.RequireLedger();
        location.RequireOwnWorkspace();
        if (location.SocketPath is { } socket)
        {
            var backend = await SocketBackend.TryConnectAsync(socket, () => writToken, cancellationToken).ConfigureAwait(false);
            if (backend is not null)
            {
                return backend;
            }
        }

        return new LocalBackend(location, writToken);
    }

    private static string ReadOperatorToken(WorkspaceLocation location)
    {
        var path = location.OperatorTokenPath!;
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"A sidecar listens at {location.SocketPath} but its operator token {path} cannot be read ({ex.Message}). Run thymos as the user that started the sidecar, or pass the same --key-dir.");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"A sidecar listens at {location.SocketPath} but its operator token {path} cannot be read ({ex.Message}). Run thymos as the user that started the sidecar.");
        }
    }

    /// <summary>The default key directory, for help texts.</summary>
    public static string DefaultKeyDirectory => WorkspaceKey.DefaultKeyDirectory();
}
