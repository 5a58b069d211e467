// A bounded per-connection queue of server-to-client notifications, so a slow client never blocks the runtime.
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Server.Hosting;

/// <summary>
/// Notifications are queued by the runtime thread and sent by a pump task. When the queue is full the
/// oldest <c>ledger/didAppend</c> is dropped (the timeline can be re-read); failing that, the oldest
/// notification. Every drop is logged.
/// </summary>
public sealed class NotificationQueue : IDisposable
{
    private readonly LinkedList<(string Method, object Argument)> _items = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly JsonRpc _rpc;
    private readonly int _capacity;
    private readonly SidecarLog _log;
    private readonly string _name;
    private Task _pump = Task.CompletedTask;
    private long _dropped;

    /// <summary>Creates a queue for one connection.</summary>
    public NotificationQueue(JsonRpc rpc, int capacity, SidecarLog log, string name)
    {
        _rpc = rpc;
        _capacity = Math.Max(1, capacity);
        _log = log;
        _name = name;
    }

    /// <summary>How many notifications were dropped because the client was too slow.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Starts the pump.</summary>
    public void Start() => _pump = Task.Run(PumpAsync);

    /// <summary>Queues a notification; never blocks.</summary>
    public void Enqueue(string method, object argument)
    {
        lock (_gate)
        {
            if (_items.Count >= _capacity)
            {
                var victim = _items.First;
                for (var node = _items.First; node is not null; node = node.Next)
                {
                    if (node.Value.Method == ProtocolMethods.LedgerDidAppend)
                    {
                        victim = node;
                        break;
                    }
                }
                _items.Remove(victim!);
                Interlocked.Increment(ref _dropped);
                _log.Warn($"{_name}: client too slow; dropped a queued {victim!.Value.Method} notification ({Dropped} dropped so far).");
            }
            _items.AddLast((method, argument));
        }
        _signal.Release();
    }

    private async Task PumpAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _signal.WaitAsync(_stop.Token);
                (string Method, object Argument) item;
                lock (_gate)
                {
                    if (_items.First is not { } first)
                    {
                        continue;
                    }
                    item = first.Value;
                    _items.RemoveFirst();
                }
                var (arguments, declaredTypes) = NotificationArguments.Of(item.Argument);
                await _rpc.NotifyWithParameterObjectAsync(item.Method, arguments, declaredTypes);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException or IOException)
        {
            _log.Debug($"{_name}: notification pump stopped: {exception.Message}");
        }
    }

    /// <summary>Stops the pump.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
