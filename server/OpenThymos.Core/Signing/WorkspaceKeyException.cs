// Raised when a workspace signing key cannot be used safely; the message says what to run to fix it.
namespace OpenThymos.Core.Signing;

/// <summary>The workspace key file is unsafe or unreadable. The message says how to fix it.</summary>
public sealed class WorkspaceKeyException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public WorkspaceKeyException()
    {
    }

    /// <summary>Creates the exception with a user-facing message.</summary>
    public WorkspaceKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the underlying error.</summary>
    public WorkspaceKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
