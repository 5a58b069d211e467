// The one JSON-RPC test client: the sidecar's own formatter over Content-Length framing, typed calls with a timeout,
// the code and message of calls that must fail, and every notification the sidecar pushes, kept for assertions.
using System.Collections.Concurrent;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;
using Xunit;

namespace OpenThymos.Testing;

/// <summary>The outcome of a call that was expected to be refused.</summary>
public sealed record RpcRefusal(int Code, string Message);

/// <summary>
/// Wraps a client <see cref="JsonRpc"/> connected to the sidecar (over a stream pair, stdio or the agent socket);
/// <c>proposal/didChange</c>, <c>ledger/didAppend</c> and <c>ledger/didProgress</c> are collected as they arrive.
/// </summary>
public sealed class RpcTestClient : IDisposable
{
    private readonly SemaphoreSlim _arrived = new(0);

    /// <summary>Wraps <paramref name="rpc"/> (not yet listening) and registers the notification handlers.</summary>
    public RpcTestClient(JsonRpc rpc, TimeSpan timeout)
    {
        Rpc = rpc;
        Timeout = timeout;
        rpc.AddLocalRpcMethod(ProtocolMethods.ProposalDidChange, new Action<ProposalSummary>(proposal => Add(ProposalChanges, proposal)));
        rpc.AddLocalRpcMethod(ProtocolMethods.LedgerDidAppend, new Action<EntrySummary>(entry => Add(Appends, entry)));
        rpc.AddLocalRpcMethod(ProtocolMethods.LedgerDidProgress, new Action<string, long, long>((token, done, total) => Add(Progress, (token, done, total))));
    }

    public JsonRpc Rpc { get; }

    /// <summary>How long a call or a wait may take.</summary>
    public TimeSpan Timeout { get; }

    public ConcurrentQueue<ProposalSummary> ProposalChanges { get; } = new();

    public ConcurrentQueue<EntrySummary> Appends { get; } = new();

    public ConcurrentQueue<(string Token, long Done, long Total)> Progress { get; } = new();

    /// <summary>A listening client over <paramref name="stream"/>, framed and formatted as the sidecar frames and formats.</summary>
    public static RpcTestClient Over(Stream stream, TimeSpan timeout) => Over(stream, stream, timeout);

    /// <summary>A listening client writing to <paramref name="sending"/> and reading from <paramref name="receiving"/>.</summary>
    public static RpcTestClient Over(Stream sending, Stream receiving, TimeSpan timeout)
    {
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(sending, receiving, RpcChannel.CreateFormatter()));
        var client = new RpcTestClient(rpc, timeout);
        rpc.StartListening();
        return client;
    }

    public Task<T> CallAsync<T>(string method, object? argument = null, CancellationToken cancellationToken = default) =>
        Rpc.InvokeWithParameterObjectAsync<T>(method, argument, cancellationToken).WaitAsync(Timeout, cancellationToken);

    /// <summary>The error code of a call that must fail.</summary>
    public async Task<int> ErrorCodeOfAsync(string method, object? argument = null)
    {
        var exception = await Assert.ThrowsAsync<RemoteInvocationException>(() => CallAsync<object>(method, argument));
        return exception.ErrorCode;
    }

    /// <summary>The error code and message of a call that must fail.</summary>
    public async Task<(int Code, string Message)> ErrorOfAsync(string method, object? argument = null)
    {
        var exception = await Assert.ThrowsAsync<RemoteInvocationException>(() => CallAsync<object>(method, argument));
        return (exception.ErrorCode, exception.Message);
    }

    /// <summary>Calls a method that must fail and returns its error; null when it succeeded.</summary>
    public async Task<RpcRefusal?> RefusalOfAsync(string method, object? argument)
    {
        try
        {
            await CallAsync<object>(method, argument);
            return null;
        }
        catch (RemoteInvocationException exception)
        {
            return new RpcRefusal(exception.ErrorCode, exception.Message);
        }
    }

    /// <summary>Waits until the condition holds on the collected notifications.</summary>
    public async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a notification");
            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
    }

    public void Dispose()
    {
        // The semaphore holds no handle (nothing waits on its wait handle); a late notification may still release it.
        Rpc.Dispose();
    }

    private void Add<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        _arrived.Release();
    }
}
