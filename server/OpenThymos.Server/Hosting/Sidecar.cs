// The sidecar's shared state: the runtime, its connections, push notifications and the lifecycle.
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Server.Hosting;

/// <summary>Settings of a sidecar instance.</summary>
public sealed record SidecarSettings
{
    /// <summary>The largest message body accepted.</summary>
    public long MaxMessageBytes { get; init; } = FrameGuard.DefaultMaxMessageBytes;

    /// <summary>The agent socket path reported by <c>initialize</c> ("" when there is none).</summary>
    public string SocketPath { get; init; } = "";

    /// <summary>The operator token that opens the editor surface on the socket (null: none accepted).</summary>
    public string? OperatorToken { get; init; }

    /// <summary>The reviewer name used when the client sends none.</summary>
    public string DefaultReviewer { get; init; } = Environment.UserName;

    /// <summary>Notifications queued per connection before the oldest are dropped.</summary>
    public int NotificationQueueCapacity { get; init; } = 1024;

    /// <summary>Watch the files of pending proposals and rebase or mark stale at once when they change on disk.</summary>
    public bool WatchPendingFiles { get; init; } = true;
}

/// <summary>Owns the runtime for the process lifetime and fans its events out to connections.</summary>
public sealed class Sidecar : IDisposable
{
    /// <summary>
    /// The methods <see cref="RpcTarget"/> exposes, described once from <see cref="IRpcTarget"/> and the two protocol
    /// interfaces it extends: the statically analysable form that trimming and Native AOT need (no generic closing at
    /// run time), built once per process instead of once per connection.
    /// </summary>
    private static readonly RpcTargetMetadata RpcTargetShape = DescribeRpcTarget();

    private readonly ConcurrentDictionary<ClientConnection, byte> _connections = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PendingFileWatcher? _watcher;
    private int _connectionCounter;
    private int _shutDown;

    /// <summary>Wraps an open runtime; the sidecar disposes it at shutdown.</summary>
    public Sidecar(ThymosRuntime runtime, SidecarSettings settings, SidecarLog log)
    {
        Runtime = runtime;
        Settings = settings;
        Log = log;
        runtime.Appended += OnAppended;
        runtime.ProposalChanged += OnProposalChanged;
        _watcher = settings.WatchPendingFiles ? new PendingFileWatcher(runtime, log) : null;
    }

    /// <summary>The runtime.</summary>
    public ThymosRuntime Runtime { get; }

    /// <summary>The settings.</summary>
    public SidecarSettings Settings { get; }

    /// <summary>The log.</summary>
    public SidecarLog Log { get; }

    /// <summary>True after <c>shutdown</c>.</summary>
    public bool IsShutDown => Volatile.Read(ref _shutDown) == 1;

    /// <summary>Completes with the process exit code when the editor sends <c>exit</c>.</summary>
    public Task<int> ExitRequested => _exit.Task;

    /// <summary>Currently connected clients.</summary>
    public IReadOnlyCollection<ClientConnection> Connections => [.. _connections.Keys];

    /// <summary>Attaches a client and starts listening; it is removed when it disconnects.</summary>
    public ClientConnection Attach(Stream input, Stream output, bool isStdio, string? name = null)
    {
        name ??= (isStdio ? "stdio" : "socket#") + (isStdio ? "" : Interlocked.Increment(ref _connectionCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var channel = RpcChannel.Create(input, output, Settings.MaxMessageBytes, Log, name);
        var connection = new ClientConnection(channel, name, isStdio, "human:" + Settings.DefaultReviewer,
            new NotificationQueue(channel.Rpc, Settings.NotificationQueueCapacity, Log, name));
        var target = new RpcTarget(this, connection);
        channel.Rpc.AddLocalRpcTarget(RpcTargetShape, target, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true, DisposeOnDisconnect = false });
        channel.Rpc.Disconnected += (_, e) =>
        {
            _connections.TryRemove(connection, out byte _);
            connection.Notifications.Dispose();
            Log.Debug($"{name}: disconnected ({e.Reason}: {e.Description})");
        };
        _connections[connection] = 0;
        connection.Notifications.Start();
        channel.StartListening();
        Log.Debug($"{name}: connected");
        return connection;
    }

    /// <summary>Closes the runtime (and the ledger, releasing its lock); later requests fail with ShuttingDown.</summary>
    public void Shutdown()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 1)
        {
            return;
        }
        _watcher?.Dispose();
        Runtime.Appended -= OnAppended;
        Runtime.ProposalChanged -= OnProposalChanged;
        Runtime.Dispose();
        Log.Info("shutdown: the ledger is closed.");
    }

    /// <summary>Records the <c>exit</c> notification: 0 when shutdown came first, else 1.</summary>
    public void RequestExit() => _exit.TrySetResult(IsShutDown ? 0 : 1);

    /// <summary>Shuts down if needed.</summary>
    public void Dispose() => Shutdown();

    // StreamJsonRpc marks FromInterface as needing dynamic code because it may close generic types at run time
    // (handlers for EventHandler<TEventArgs> events with value-type arguments). IRpcTarget and the interfaces it
    // extends declare no events (RpcTargetShapeTests checks it), and the sidecar tests dispatch every method of
    // this metadata through the Native AOT binary (OPENTHYMOS_SIDECAR), so no dynamic code is reached.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "IRpcTarget declares no events; see the comment above.")]
    private static RpcTargetMetadata DescribeRpcTarget()
    {
        var shape = new RpcTargetMetadata.InterfaceCollection(typeof(IRpcTarget));
        shape.Add(typeof(IEditorProtocol));
        shape.Add(typeof(IAgentProtocol));
        return RpcTargetMetadata.FromInterface(shape);
    }

    private void OnAppended(LedgerEntry entry)
    {
        // Runs on the runtime's thread inside its lock: build the summary now (cheap), send later.
        try
        {
            var notification = new LedgerDidAppendParams { Entry = ProtocolConversions.ToEntrySummary(entry) };
            foreach (var connection in _connections.Keys)
            {
                if (connection.WantsNotifications && connection.Role is ConnectionRole.Editor or ConnectionRole.Operator)
                {
                    connection.Notifications.Enqueue(ProtocolMethods.LedgerDidAppend, notification);
                }
            }
        }
        catch (Exception exception)
        {
            Log.Error($"could not announce entry {entry.Seq}.", exception);
        }
    }

    private void OnProposalChanged(string proposalId)
    {
        try
        {
            if (Runtime.GetProposal(proposalId) is not { } proposal)
            {
                return;
            }
            var notification = new ProposalDidChangeParams { Proposal = ProtocolConversions.ToSummary(proposal) };
            foreach (var connection in _connections.Keys)
            {
                if (!connection.WantsNotifications)
                {
                    continue;
                }
                var entitled = connection.Role is ConnectionRole.Editor or ConnectionRole.Operator
                    || (connection.Role == ConnectionRole.Agent && connection.Session?.WritId == proposal.Staged.WritId);
                if (entitled)
                {
                    connection.Notifications.Enqueue(ProtocolMethods.ProposalDidChange, notification);
                }
            }
        }
        catch (Exception exception)
        {
            Log.Error($"could not announce proposal {proposalId}.", exception);
        }
    }
}
