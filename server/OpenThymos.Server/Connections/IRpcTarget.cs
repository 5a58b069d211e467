// Everything one connection answers, as one interface, so StreamJsonRpc can describe the target without dynamic code.
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Server.Connections;

/// <summary>
/// The editor and agent surfaces plus the lifecycle notifications and the input guard's reject method.
/// <see cref="RpcTarget"/> is registered through this interface (<see cref="RpcTargetMetadata.FromInterface(RpcTargetMetadata.InterfaceCollection)"/>):
/// describing a class needs run-time generic code that Native AOT cannot provide, describing interfaces does not.
/// </summary>
public interface IRpcTarget : IEditorProtocol, IAgentProtocol
{
    /// <summary>LSP <c>initialized</c>: the client is ready for notifications.</summary>
    [JsonRpcMethod(ProtocolMethods.Initialized)]
    void Initialized();

    /// <summary>LSP <c>exit</c>: the process ends (0 after shutdown, 1 otherwise).</summary>
    [JsonRpcMethod(ProtocolMethods.Exit)]
    void Exit();

    /// <summary>
    /// Answers a request the input guard screened out (oversized or malformed) with its error;
    /// <paramref name="requestMethod"/> is the screened request's method when it could be read.
    /// </summary>
    [JsonRpcMethod(FrameGuard.RejectMethod, UseSingleObjectParameterDeserialization = false)]
    void Reject(int code, string message, string? requestMethod);
}
