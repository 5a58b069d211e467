// A refusal or failure as a value: stable code plus a sentence for the user.
namespace OpenThymos.Core.Runtime;

/// <summary>An error the runtime reports as a value.</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Message">What happened, to which file or entry, and what to do next.</param>
public sealed record RuntimeError(RuntimeErrorCode Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Thrown only for misuse that a caller can not reasonably expect (the API returns values otherwise).</summary>
public sealed class RuntimeException(RuntimeError error) : Exception(error.Message)
{
    /// <summary>The error.</summary>
    public RuntimeError Error { get; } = error;
}
