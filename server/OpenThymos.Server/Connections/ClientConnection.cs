// One JSON-RPC client of the sidecar (the editor over stdio, or an agent or operator over the socket) and its role.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Notifications;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Server.Connections;

/// <summary>What a connection may call.</summary>
public enum ConnectionRole
{
    /// <summary>The editor over stdio: the editor surface after <c>initialize</c>.</summary>
    Editor,

    /// <summary>A socket connection before <c>session/open</c>: only <c>session/open</c>.</summary>
    Unauthenticated,

    /// <summary>A socket connection with a writ token: the agent surface.</summary>
    Agent,

    /// <summary>A socket connection with the operator token: the editor surface (the CLI).</summary>
    Operator,
}

/// <summary>A connected client.</summary>
public sealed class ClientConnection
{
    internal ClientConnection(RpcChannel channel, string name, bool isStdio, string reviewer, NotificationQueue notifications)
    {
        Channel = channel;
        Name = name;
        IsStdio = isStdio;
        Role = isStdio ? ConnectionRole.Editor : ConnectionRole.Unauthenticated;
        Reviewer = reviewer;
        Notifications = notifications;
    }

    /// <summary>A name for logs.</summary>
    public string Name { get; }

    /// <summary>True for the stdio (editor) connection.</summary>
    public bool IsStdio { get; }

    /// <summary>The role.</summary>
    public ConnectionRole Role { get; internal set; }

    /// <summary>For an agent: its session.</summary>
    public AgentSession? Session { get; internal set; }

    /// <summary>The actor recorded on decisions: <c>human:NAME</c>.</summary>
    public string Reviewer { get; internal set; }

    /// <summary>True once <c>initialize</c> (stdio) or <c>session/open</c> (socket) succeeded.</summary>
    public bool Initialized { get; internal set; }

    /// <summary>True once the client may receive notifications (<c>initialized</c>, or an open session).</summary>
    public bool WantsNotifications { get; internal set; }

    /// <summary>Outgoing notifications.</summary>
    public NotificationQueue Notifications { get; }

    /// <summary>The JSON-RPC connection.</summary>
    public JsonRpc Rpc => Channel.Rpc;

    /// <summary>Completes when the client disconnects.</summary>
    public Task Completion => Channel.Rpc.Completion;

    internal RpcChannel Channel { get; }
}
