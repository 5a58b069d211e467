// A JSON-RPC client for the tests: typed calls with a timeout, and the code and message of calls that must fail.
using StreamJsonRpc;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>The outcome of a call that was expected to be refused.</summary>
public sealed record RpcRefusal(int Code, string Message);

/// <summary>Wraps a client <see cref="JsonRpc"/> connected to the sidecar.</summary>
public sealed class RpcClient(JsonRpc rpc)
{
    public JsonRpc Rpc { get; } = rpc;

    public Task<T> CallAsync<T>(string method, object? argument = null) =>
        Rpc.InvokeWithParameterObjectAsync<T>(method, argument).WaitAsync(SidecarChild.Timeout);

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
}
