// Turns refusals and bad params into JSON-RPC errors with the protocol's stable codes.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using StreamJsonRpc;

namespace OpenThymos.Server.Services;

/// <summary>Factories for the <see cref="LocalRpcException"/>s the handlers throw.</summary>
public static class RpcErrors
{
    /// <summary>A runtime refusal: code <c>1000 + RuntimeErrorCode</c>, the runtime's sentence.</summary>
    public static LocalRpcException Runtime(RuntimeError error) =>
        new(error.Message) { ErrorCode = ErrorCodes.RuntimeErrorBase + (int)error.Code };

    /// <summary>A missing or malformed parameter, named in the message.</summary>
    public static LocalRpcException InvalidParams(string field, string problem) =>
        new($"Invalid params: '{field}' {problem}") { ErrorCode = ErrorCodes.InvalidParams };

    /// <summary>A protocol-level refusal with one of the 1..99 codes.</summary>
    public static LocalRpcException Protocol(int code, string message) => new(message) { ErrorCode = code };

    /// <summary>Throws <see cref="InvalidParams"/> when the params object is null or a string field is empty.</summary>
    public static T Require<T>(T? request)
        where T : class => request ?? throw InvalidParams("params", "is required (an object).");

    /// <summary>Throws when a required string field is empty.</summary>
    public static string RequireText(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidParams(field, "is required.") : value;
}
