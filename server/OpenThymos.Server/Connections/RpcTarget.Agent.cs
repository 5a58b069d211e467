// The agent surface of the per-connection target: session/open, then the role gate and the sidecar's AgentSurface.
using System.Security.Cryptography;
using System.Text;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;

namespace OpenThymos.Server.Connections;

/// <summary>Agent methods: each checks the connection's role, then delegates for the connection's session.</summary>
public sealed partial class RpcTarget
{
    /// <inheritdoc />
    public Task<OpenSessionResult> OpenSessionAsync(OpenSessionParams request, CancellationToken cancellationToken)
    {
        if (sidecar.IsShutDown)
        {
            throw SurfaceException.Protocol(ErrorCodes.ShuttingDown, "The sidecar has shut down.");
        }
        if (connection.IsStdio)
        {
            throw SurfaceException.Protocol(ErrorCodes.SessionRequired, "session/open is for the agent socket; the editor uses initialize.");
        }
        var token = request?.Token;
        if (!string.IsNullOrWhiteSpace(token)
            && sidecar.Settings.OperatorToken is { } operatorToken
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(operatorToken)))
        {
            connection.Role = ConnectionRole.Operator;
            connection.Initialized = true;
            connection.WantsNotifications = true;
            sidecar.Log.Info($"{connection.Name}: operator session opened.");
            return Task.FromResult(new OpenSessionResult { Role = "operator" });
        }
        var session = sidecar.Agent.OpenSession(token);
        connection.Session = session;
        connection.Role = ConnectionRole.Agent;
        connection.Initialized = true;
        connection.WantsNotifications = true;
        sidecar.Log.Info($"{connection.Name}: agent {session.Agent} opened session {session.Session} with writ {session.WritId}.");
        return Task.FromResult(new OpenSessionResult { Role = "agent", Writ = sidecar.Agent.DescribeWrit(session) });
    }

    /// <inheritdoc />
    public Task<ReadFileResult> ReadFileAsync(ReadFileParams request, CancellationToken cancellationToken) =>
        Agent((agent, session) => Task.FromResult(agent.ReadFile(session, request)));

    /// <inheritdoc />
    public Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken) =>
        Agent((agent, session) => RunAsync(() => agent.ListFiles(session, request, cancellationToken), cancellationToken));

    /// <inheritdoc />
    public async Task<SubmitIntentResult> SubmitIntentAsync(SubmitIntentParams request, CancellationToken cancellationToken)
    {
        var received = connection.Channel.LastReceivedTimestamp;
        var dispatched = LatencyTrace.Now();
        Gate(SurfaceKind.Agent);
        var session = connection.Session!;
        var intent = sidecar.Agent.ReadIntent(session, request);
        long submitStarted = 0;
        // Never cancelled half-way: once submitted, the runtime decides and ledgers the outcome.
        var result = await RunAsync(() =>
        {
            submitStarted = LatencyTrace.Now();
            return sidecar.Agent.Submit(session, intent);
        }, CancellationToken.None);
        if (sidecar.Trace is { } trace)
        {
            trace.Mark(result.ProposalId, LatencyPoint.Received, received);
            trace.Mark(result.ProposalId, LatencyPoint.Dispatched, dispatched);
            trace.Mark(result.ProposalId, LatencyPoint.SubmitStarted, submitStarted);
        }
        return result;
    }

    /// <inheritdoc />
    public Task<ProposalStatusResult> GetProposalStatusAsync(ProposalStatusParams request, CancellationToken cancellationToken) =>
        Agent((agent, session) => RunAsync(() => agent.GetStatus(session, request), cancellationToken));

    /// <inheritdoc />
    public Task<ProposalStatusResult> WaitDecisionAsync(WaitDecisionParams request, CancellationToken cancellationToken) =>
        Agent((agent, session) => agent.WaitDecisionAsync(session, request, cancellationToken));

    /// <summary>Checks that the connection is an agent session, then calls the agent surface for that session.</summary>
    private Task<T> Agent<T>(Func<AgentSurface, AgentSession, Task<T>> verb)
    {
        Gate(SurfaceKind.Agent);
        return verb(sidecar.Agent, connection.Session!);
    }
}
