// A bounded per-connection queue of server-to-client notifications, so a slow client never blocks the runtime.
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Server.Notifications;

/// <summary>
/// Queues notifications and sends them in order. There is no pump task: whoever finds the queue idle drains it.
/// With <see cref="NotificationDelivery.Inline"/> that is the enqueuing thread itself (the thread that learned the
/// entries are durable), so the common case costs no thread hop; with <see cref="NotificationDelivery.Background"/>
/// a thread-pool work item; <see cref="NotificationDelivery.Deferred"/> waits for <see cref="Deliver"/>. One drainer
/// at a time takes everything queued and writes it as one batch (held in the <see cref="CoalescingStream"/>, one write
/// and one flush), so a <c>ledger/didAppend</c> and the <c>proposal/didChange</c> it caused reach the client together.
/// A send the transport cannot take at once (a socket whose peer stopped reading) parks the drainer asynchronously,
/// holding no thread; notifications queued meanwhile wait. When the queue is full the oldest <c>ledger/didAppend</c>
/// is dropped (the timeline can be re-read); failing that, the oldest notification. Every drop is logged.
/// </summary>
public sealed class NotificationQueue : IDisposable
{
    /// <summary>Notifications written per batch at most, so one flush never holds more than this in memory.</summary>
    private const int MaxBatch = 64;

    private readonly LinkedList<QueuedNotification> _items = new();
    private readonly Lock _gate = new();
    private readonly JsonRpc _rpc;
    private readonly CoalescingStream? _output;
    private readonly int _capacity;
    private readonly SidecarLog _log;
    private readonly string _name;
    private readonly LatencyTrace? _trace;
    private bool _draining;
    private bool _scheduled;
    private bool _stopped;
    private long _dropped;

    /// <summary>Creates a queue for one connection writing through <paramref name="output"/> (null: one flush per message).</summary>
    public NotificationQueue(JsonRpc rpc, CoalescingStream? output, int capacity, SidecarLog log, string name, LatencyTrace? trace = null)
    {
        _rpc = rpc;
        _output = output;
        _capacity = Math.Max(1, capacity);
        _log = log;
        _name = name;
        _trace = trace;
    }

    /// <summary>How many notifications were dropped because the client was too slow.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a notification and starts sending it as <paramref name="delivery"/> says; never waits for the client.</summary>
    /// <param name="method">The notification method.</param>
    /// <param name="argument">Its params object (a type in <see cref="ProtocolJsonContext"/>).</param>
    /// <param name="delivery">Who sends it when no send is under way.</param>
    /// <param name="traceKey">The proposal id to mark in the latency trace once it is written, or null.</param>
    public void Enqueue(string method, object argument, NotificationDelivery delivery = NotificationDelivery.Background, string? traceKey = null)
    {
        var start = Start.None;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            if (_items.Count >= _capacity)
            {
                DropOldest();
            }
            _items.AddLast(new QueuedNotification(method, argument, traceKey));
            if (!_draining)
            {
                if (delivery == NotificationDelivery.Inline)
                {
                    _draining = true;
                    start = Start.Here;
                }
                else if (delivery == NotificationDelivery.Background && !_scheduled)
                {
                    _scheduled = true;
                    start = Start.Pool;
                }
            }
        }
        Begin(start);
    }

    /// <summary>Sends what is queued on this thread, unless a send is already under way (it takes the queue along).</summary>
    public void Deliver()
    {
        lock (_gate)
        {
            if (_draining || _stopped || _items.Count == 0)
            {
                return;
            }
            _draining = true;
        }
        Begin(Start.Here);
    }

    /// <summary>Stops sending; queued notifications are dropped.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _items.Clear();
        }
    }

    private enum Start
    {
        None,
        Here,
        Pool,
    }

    private void Begin(Start start)
    {
        switch (start)
        {
            case Start.Here:
                // Runs synchronously up to the first send the transport cannot finish at once.
                _ = DrainAsync();
                break;
            case Start.Pool:
                ThreadPool.UnsafeQueueUserWorkItem(static queue => queue.DrainScheduled(), this, preferLocal: false);
                break;
        }
    }

    private void DrainScheduled()
    {
        lock (_gate)
        {
            _scheduled = false;
            if (_draining || _stopped || _items.Count == 0)
            {
                return;
            }
            _draining = true;
        }
        _ = DrainAsync();
    }

    private async Task DrainAsync()
    {
        var batch = new List<QueuedNotification>();
        try
        {
            while (true)
            {
                batch.Clear();
                lock (_gate)
                {
                    while (batch.Count < MaxBatch && _items.First is { } first)
                    {
                        batch.Add(first.Value);
                        _items.RemoveFirst();
                    }
                    if (batch.Count == 0 || _stopped)
                    {
                        // Cleared under the lock together with the emptiness check: a notification queued after
                        // this sees no drainer and starts one, one queued before it was taken into the batch.
                        _draining = false;
                        return;
                    }
                }
                Mark(batch, LatencyPoint.Sending);
                _output?.Hold();
                try
                {
                    foreach (var item in batch)
                    {
                        await SendAsync(item);
                    }
                    Mark(batch, LatencyPoint.Formatted);
                }
                finally
                {
                    if (_output is not null)
                    {
                        await _output.ReleaseAsync();
                    }
                }
                Mark(batch, LatencyPoint.Written);
            }
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            _log.Debug($"{_name}: notifications stopped: {exception.Message}");
            Stop();
        }
        catch (Exception exception)
        {
            _log.Error($"{_name}: could not send a notification; this connection gets no more notifications.", exception);
            Stop();
        }
    }

    private async Task SendAsync(QueuedNotification item)
    {
        IReadOnlyDictionary<string, object?> arguments;
        IReadOnlyDictionary<string, Type> declaredTypes;
        try
        {
            (arguments, declaredTypes) = NotificationArguments.Of(item.Argument);
        }
        catch (NotSupportedException exception)
        {
            // A programming error in one notification type must not silence the others.
            _log.Error($"{_name}: could not serialize a {item.Method} notification; it was not sent.", exception);
            return;
        }
        await _rpc.NotifyWithParameterObjectAsync(item.Method, arguments, declaredTypes);
    }

    private void Mark(List<QueuedNotification> batch, LatencyPoint point)
    {
        if (_trace is null)
        {
            return;
        }
        var now = LatencyTrace.Now();
        foreach (var item in batch)
        {
            if (item.TraceKey is { } key)
            {
                _trace.Mark(key, point, now);
            }
        }
    }

    private void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _draining = false;
            _items.Clear();
        }
    }

    private void DropOldest()
    {
        var victim = _items.First!;
        for (var node = _items.First; node is not null; node = node.Next)
        {
            if (node.Value.Method == ProtocolMethods.LedgerDidAppend)
            {
                victim = node;
                break;
            }
        }
        _items.Remove(victim);
        Interlocked.Increment(ref _dropped);
        _log.Warn($"{_name}: client too slow; dropped a queued {victim.Value.Method} notification ({Dropped} dropped so far).");
    }

    private readonly record struct QueuedNotification(string Method, object Argument, string? TraceKey);
}
