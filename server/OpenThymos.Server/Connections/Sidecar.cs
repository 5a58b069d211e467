// The sidecar's shared state: the runtime, its connections, push notifications and the lifecycle.
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Notifications;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using OpenThymos.Server.Surface;
using OpenThymos.Server.Watching;
using StreamJsonRpc;

namespace OpenThymos.Server.Connections;

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
    /// The process exit code when the ledger cannot go on (<see cref="ThymosRuntime.LedgerFailed"/>): the reason is
    /// logged on stderr first, and the editor's language client restarts a sidecar that exits with it.
    /// </summary>
    public const int LedgerFailedExitCode = 4;

    /// <summary>
    /// The methods <see cref="RpcTarget"/> exposes, described once from <see cref="IRpcTarget"/> and the two protocol
    /// interfaces it extends: the statically analysable form that trimming and Native AOT need (no generic closing at
    /// run time), built once per process instead of once per connection.
    /// </summary>
    private static readonly RpcTargetMetadata RpcTargetShape = DescribeRpcTarget();

    private readonly ConcurrentDictionary<ClientConnection, byte> _connections = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PendingFileWatcher? _watcher;
    private readonly LatencyTrace? _trace = LatencyTrace.FromEnvironment();

    /// <summary>How many <see cref="DeferNotifications"/> scopes the current thread is in.</summary>
    [ThreadStatic]
    private static int _threadDeferDepth;

    /// <summary>When the current thread last announced a durable entry (for the latency trace).</summary>
    [ThreadStatic]
    private static long _threadLastDurable;
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
        runtime.LedgerFailed += OnLedgerFailed;
        _watcher = settings.WatchPendingFiles ? new PendingFileWatcher(runtime, log) : null;
        Editor = new EditorSurface(runtime, VerifiedWorld);
        Agent = new AgentSurface(runtime);
    }

    /// <summary>The editor surface over the runtime, which every connection's target delegates to after its gate.</summary>
    public EditorSurface Editor { get; }

    /// <summary>The agent surface over the runtime, which every connection's target delegates to after its gate.</summary>
    public AgentSurface Agent { get; }

    /// <summary>The runtime.</summary>
    public ThymosRuntime Runtime { get; }

    /// <summary>The settings.</summary>
    public SidecarSettings Settings { get; }

    /// <summary>The log.</summary>
    public SidecarLog Log { get; }

    /// <summary>The world the last clean <c>ledger/verify</c> folded, for <c>ledger/replay</c> and <c>ledger/getDrift</c> at the same head.</summary>
    public VerifiedWorldCache VerifiedWorld { get; } = new();

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
        var channel = RpcChannel.Create(input, output, Settings.MaxMessageBytes, Log, name, synchronousOutput: isStdio);
        var connection = new ClientConnection(channel, name, isStdio, "human:" + Settings.DefaultReviewer,
            new NotificationQueue(channel.Rpc, channel.Output, Settings.NotificationQueueCapacity, Log, name, isStdio ? _trace : null));
        var target = new RpcTarget(this, connection);
        channel.Rpc.ParamsUnreadable = target.OnUnreadableParams;
        channel.Rpc.AddLocalRpcTarget(RpcTargetShape, target, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true, DisposeOnDisconnect = false });
        channel.Rpc.Disconnected += (_, e) =>
        {
            _connections.TryRemove(connection, out byte _);
            connection.Notifications.Dispose();
            if (connection.Session is { } session && !IsShutDown)
            {
                // The session ended: repeats of its refusals counted in open windows are ledgered now.
                try
                {
                    Runtime.EndSession(session);
                }
                catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    Log.Warn($"{name}: could not ledger the session's counted refusals: {exception.Message}");
                }
            }
            Log.Debug($"{name}: disconnected ({e.Reason}: {e.Description})");
        };
        _connections[connection] = 0;
        channel.StartListening();
        Log.Debug($"{name}: connected");
        return connection;
    }

    /// <summary>The latency trace, when the environment asks for one (see <see cref="LatencyTrace"/>).</summary>
    public LatencyTrace? Trace => _trace;

    /// <summary>
    /// Until the returned scope ends, <c>ledger/didAppend</c> notifications raised on this thread wait instead of
    /// starting a send, and the scope's end sends what waits on this thread: the notifications of one operation
    /// then leave in one batch, and none is formatted while the thread may hold the runtime's lock.
    /// </summary>
    public NotificationScope DeferNotifications()
    {
        _threadDeferDepth++;
        return new NotificationScope(this);
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
        Runtime.LedgerFailed -= OnLedgerFailed;
        Runtime.Dispose();
        Log.Info("shutdown: the ledger is closed.");
        try
        {
            _trace?.Save();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.Warn($"could not write the latency trace ({LatencyTrace.EnvironmentVariable}): {exception.Message}");
        }
    }

    /// <summary>The ledger cannot go on: say why on stderr and ask the process to exit with <see cref="LedgerFailedExitCode"/>.</summary>
    private void OnLedgerFailed(string reason)
    {
        Log.Error($"{reason} Exiting with code {LedgerFailedExitCode} so that the editor restarts the sidecar.");
        _exit.TrySetResult(LedgerFailedExitCode);
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

    /// <summary>Ends a <see cref="DeferNotifications"/> scope: the outermost end sends what waits.</summary>
    internal void EndDeferral()
    {
        if (--_threadDeferDepth > 0)
        {
            return;
        }
        DeliverEditorFirst();
    }

    /// <summary>Sends what waits on this thread, to the editor first (a person is watching it), then to socket clients.</summary>
    private void DeliverEditorFirst()
    {
        foreach (var connection in _connections.Keys)
        {
            if (connection.IsStdio)
            {
                connection.Notifications.Deliver();
            }
        }
        foreach (var connection in _connections.Keys)
        {
            if (!connection.IsStdio)
            {
                connection.Notifications.Deliver();
            }
        }
    }

    private void OnAppended(LedgerEntry entry)
    {
        // Runs on the thread that wrote the entry's batch, possibly inside the runtime's lock: build the summary now
        // (cheap) and send later, from the end of this thread's operation (deferred) or from the thread pool.
        if (_trace is not null)
        {
            _threadLastDurable = LatencyTrace.Now();
        }

        VerifiedWorld.ForgetBefore(entry.Seq);
        try
        {
            var notification = new LedgerDidAppendParams { Entry = ProtocolConversions.ToEntrySummary(entry) };
            var delivery = _threadDeferDepth > 0 ? NotificationDelivery.Deferred : NotificationDelivery.Background;
            foreach (var connection in _connections.Keys)
            {
                if (connection.WantsNotifications && connection.Role is ConnectionRole.Editor or ConnectionRole.Operator)
                {
                    connection.Notifications.Enqueue(ProtocolMethods.LedgerDidAppend, notification, delivery);
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
        // Raised outside the runtime's lock once the entries are durable: this thread sends at once (no hop), taking
        // along the ledger/didAppend notifications queued before, in the same write.
        _trace?.Mark(proposalId, LatencyPoint.ChangeRaised, LatencyTrace.Now());
        _trace?.Mark(proposalId, LatencyPoint.Durable, _threadLastDurable);
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
                    connection.Notifications.Enqueue(ProtocolMethods.ProposalDidChange, notification, NotificationDelivery.Deferred, _trace is null ? null : proposalId);
                }
            }
            _trace?.Mark(proposalId, LatencyPoint.Enqueued, LatencyTrace.Now());
            DeliverEditorFirst();
        }
        catch (Exception exception)
        {
            Log.Error($"could not announce proposal {proposalId}.", exception);
        }
    }
}
