// The one error the editor and agent surfaces throw, with the protocol's stable code; each transport maps it in one place.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>
/// A refusal or a bad request, carrying one of the stable codes in <see cref="ErrorCodes"/> (runtime refusals are
/// <c>1000 + RuntimeErrorCode</c>). It knows no transport: the sidecar's JSON-RPC connection turns it into a JSON-RPC
/// error with the same code and message (<c>SidecarJsonRpc</c>), and the CLI into an exit code and a line on stderr.
/// Every instance is created by the factories below, so the codes and the shape of the messages live in one place.
/// </summary>
public sealed class SurfaceException(int code, string message, object? data = null) : Exception(message)
{
    /// <summary>The stable code (<see cref="ErrorCodes"/>).</summary>
    public int Code { get; } = code;

    /// <summary>Structured details for the client, or null.</summary>
    public object? ErrorData { get; } = data;

    /// <summary>A runtime refusal: code <c>1000 + RuntimeErrorCode</c>, the runtime's sentence.</summary>
    public static SurfaceException Runtime(RuntimeError error) =>
        new(ErrorCodes.RuntimeErrorBase + (int)error.Code, error.Message);

    /// <summary>A missing or malformed parameter, named in the message.</summary>
    public static SurfaceException InvalidParams(string field, string problem) =>
        new(ErrorCodes.InvalidParams, $"Invalid params: '{field}' {problem}");

    /// <summary>A protocol-level refusal with one of the 1..99 codes.</summary>
    public static SurfaceException Protocol(int code, string message) => new(code, message);

    /// <summary>Throws <see cref="InvalidParams"/> when the params object is null.</summary>
    public static T Require<T>(T? request)
        where T : class => request ?? throw InvalidParams("params", "is required (an object).");

    /// <summary>Throws when a required string field is empty.</summary>
    public static string RequireText(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidParams(field, "is required.") : value;
}
