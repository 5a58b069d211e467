// A JSON-RPC test client that records the sidecar's notifications.
using System.Collections.Concurrent;
using OpenThymos.Server.Protocol;
using StreamJsonRpc;
using Xunit;

namespace OpenThymos.Server.Tests.Support;

/// <summary>Wraps a client <see cref="JsonRpc"/>; notifications are collected for assertions.</summary>
public sealed class TestClient
{
    public TestClient(JsonRpc rpc)
    {
        Rpc = rpc;
        rpc.AddLocalRpcMethod(ProtocolMethods.ProposalDidChange, new Action<ProposalSummary>(proposal => Add(ProposalChanges, proposal)));
        rpc.AddLocalRpcMethod(ProtocolMethods.LedgerDidAppend, new Action<EntrySummary>(entry => Add(Appends, entry)));
        rpc.AddLocalRpcMethod(ProtocolMethods.LedgerDidProgress, new Action<string, long, long>((token, done, total) => Add(Progress, (token, done, total))));
    }

    public JsonRpc Rpc { get; }

    public ConcurrentQueue<ProposalSummary> ProposalChanges { get; } = new();

    public ConcurrentQueue<EntrySummary> Appends { get; } = new();

    public ConcurrentQueue<(string Token, long Done, long Total)> Progress { get; } = new();

    private readonly SemaphoreSlim _arrived = new(0);

    public Task<T> CallAsync<T>(string method, object? argument = null, CancellationToken cancellationToken = default) =>
        Rpc.InvokeWithParameterObjectAsync<T>(method, argument, cancellationToken).WaitAsync(SidecarHarness.Timeout, cancellationToken);

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

    /// <summary>Waits until the condition holds on the collected notifications.</summary>
    public async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + SidecarHarness.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a notification");
            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
    }

    private void Add<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        _arrived.Release();
    }
}
