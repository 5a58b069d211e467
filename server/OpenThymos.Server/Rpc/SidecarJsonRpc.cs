// JsonRpc with the sidecar's error mapping: surface refusals keep their code, unexpected exceptions become InternalError and are logged with their stack.
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace OpenThymos.Server.Rpc;

/// <summary>A <see cref="JsonRpc"/> that maps handler faults to the protocol's stable error codes.</summary>
public sealed class SidecarJsonRpc(IJsonRpcMessageHandler handler, SidecarLog log, string name) : JsonRpc(handler)
{
    /// <summary>Told the method and the answer given when a request's params could not be read.</summary>
    public Action<string, string>? ParamsUnreadable { get; set; }

    /// <inheritdoc />
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } wrapped } ? wrapped : exception;
        switch (inner)
        {
            case SurfaceException refusal:
                // The one place a surface refusal becomes a JSON-RPC error: same code, same message.
                log.Debug($"{name}: {request.Method} answered with error {refusal.Code}: {refusal.Message}");
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)refusal.Code, Message = refusal.Message, Data = refusal.ErrorData };
            case System.Text.Json.JsonException json:
                // Params that do not deserialize (invalid UTF-8 inside a string, a wrong type) are the client's
                // mistake, not a sidecar fault: answer InvalidParams and say which field and why.
                log.Debug($"{name}: {request.Method} had unreadable params at {json.Path}: {json.InnerException?.Message ?? json.Message}");
                var message = $"Invalid params: {request.Method} could not read '{json.Path ?? "params"}': {json.InnerException?.Message ?? json.Message} Send the params as valid UTF-8 JSON of the documented shape.";
                ParamsUnreadable?.Invoke(request.Method ?? "", message);
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)ErrorCodes.InvalidParams, Message = message };
            case OperationCanceledException:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)ErrorCodes.Cancelled, Message = $"{request.Method} was cancelled." };
            default:
                log.Error($"{name}: {request.Method} failed unexpectedly.", inner);
                return new JsonRpcError.ErrorDetail
                {
                    Code = (JsonRpcErrorCode)ErrorCodes.InternalError,
                    Message = $"{request.Method} failed inside the sidecar ({inner.GetType().Name}: {inner.Message}); the sidecar log has details.",
                };
        }
    }
}
