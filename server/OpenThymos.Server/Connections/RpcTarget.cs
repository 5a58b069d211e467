// The per-connection JSON-RPC target: lifecycle, and the role gate in front of the editor and agent surfaces.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;

namespace OpenThymos.Server.Connections;

/// <summary>
/// Implements both surfaces for one connection; each method first checks the connection's role and the lifecycle,
/// then delegates to the sidecar's <see cref="EditorSurface"/> or <see cref="AgentSurface"/>, which hold every body.
/// What stays here is the connection's own: its role, its session, its lifecycle and where a call runs. Split by
/// surface across partial files.
/// </summary>
public sealed partial class RpcTarget(Sidecar sidecar, ClientConnection connection) : IRpcTarget
{
    private enum SurfaceKind
    {
        Editor,
        Agent,
    }

    /// <inheritdoc />
    public Task<InitializeResult> InitializeAsync(InitializeParams request, CancellationToken cancellationToken)
    {
        if (sidecar.IsShutDown)
        {
            throw SurfaceException.Protocol(ErrorCodes.ShuttingDown, "The sidecar is shutting down.");
        }
        if (connection.Role is ConnectionRole.Agent or ConnectionRole.Unauthenticated)
        {
            throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "initialize is for the editor; agents open a session with session/open.");
        }
        if (request?.InitializationOptions?.Reviewer is { Length: > 0 } reviewer)
        {
            connection.Reviewer = "human:" + reviewer;
        }
        connection.Initialized = true;
        var ledger = sidecar.Runtime.Ledger;
        sidecar.Log.Info($"{connection.Name}: initialized by {request?.ClientInfo?.Name ?? "a client"}; reviewer {connection.Reviewer}.");
        return Task.FromResult(new InitializeResult
        {
            Workspace = new WorkspaceInfo
            {
                Root = sidecar.Runtime.WorkspaceRoot,
                WorkspaceId = ledger.WorkspaceId,
                LedgerPath = ledger.Store.Location,
                AgentSocket = sidecar.Settings.SocketPath,
                HeadSeq = ledger.Head.Seq,
            },
        });
    }

    /// <inheritdoc />
    public void Initialized()
    {
        if (connection.Initialized)
        {
            connection.WantsNotifications = true;
        }
    }

    /// <inheritdoc />
    public Task<EmptyResult?> ShutdownAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsStdio)
        {
            throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "Only the editor connection can shut the sidecar down.");
        }
        if (!connection.Initialized)
        {
            throw SurfaceException.Protocol(ErrorCodes.NotInitialized, "shutdown before initialize.");
        }
        sidecar.Shutdown();
        return Task.FromResult<EmptyResult?>(null);
    }

    /// <inheritdoc />
    public void Exit()
    {
        if (connection.IsStdio)
        {
            sidecar.RequestExit();
        }
    }

    /// <inheritdoc />
    public void Reject(int code, string message, string? requestMethod)
    {
        // A submission refused unread (over the size cap, or not a JSON-RPC request) is still a refused intent of
        // this session, and is ledgered like one. A request whose method could not be read may have been one.
        if (requestMethod is null or ProtocolMethods.IntentSubmit)
        {
            RecordRefusedSubmission([], new RuntimeError(RuntimeErrorCode.IntentInvalid, $"A submission was refused before it was read: {message}"));
        }
        throw SurfaceException.Protocol(code, message);
    }

    /// <summary>
    /// Params of <c>intent/submit</c> that could not be read (invalid UTF-8, a wrong type): ledgered as a refused intent,
    /// like everything an agent session submits and the sidecar refuses. Called by the connection's error mapping.
    /// </summary>
    internal void OnUnreadableParams(string method, string message)
    {
        if (method == ProtocolMethods.IntentSubmit)
        {
            RecordRefusedSubmission([], new RuntimeError(RuntimeErrorCode.IntentInvalid, message));
        }
    }

    /// <summary>Ledgers a refusal the runtime did not make itself, for an agent session only (others have no agent to name).</summary>
    private void RecordRefusedSubmission(IReadOnlyList<string> paths, RuntimeError error)
    {
        if (connection is { Role: ConnectionRole.Agent, Session: { } session } && !sidecar.IsShutDown)
        {
            sidecar.Runtime.RecordRefusedIntent(session, paths, error);
        }
    }

    private void Gate(SurfaceKind surface)
    {
        if (sidecar.IsShutDown)
        {
            throw SurfaceException.Protocol(ErrorCodes.ShuttingDown, "The sidecar has shut down; restart it.");
        }
        switch (surface, connection.Role)
        {
            case (SurfaceKind.Editor, ConnectionRole.Editor) when !connection.Initialized:
                throw SurfaceException.Protocol(ErrorCodes.NotInitialized, "Send initialize first.");
            case (SurfaceKind.Editor, ConnectionRole.Editor or ConnectionRole.Operator):
            case (SurfaceKind.Agent, ConnectionRole.Agent):
                return;
            case (SurfaceKind.Editor, ConnectionRole.Agent):
                throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "Agent sessions may not call editor methods.");
            case (_, ConnectionRole.Unauthenticated):
                throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "Open a session first: session/open with the writ token the user granted.");
            default:
                throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "This connection cannot call agent methods; agents connect to the agent socket.");
        }
    }

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        // Runtime calls block on fsync; keep them off the JSON-RPC reader. The notifications the call causes leave
        // together at its end (or at once, from the thread that learns a proposal changed), never from inside the lock.
        try
        {
            return await Task.Run(() =>
            {
                using var scope = sidecar.DeferNotifications();
                return work();
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw SurfaceException.Protocol(ErrorCodes.Cancelled, "The request was cancelled.");
        }
    }
}
