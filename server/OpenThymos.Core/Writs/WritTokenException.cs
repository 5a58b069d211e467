// Raised when a writ token an agent presents cannot be read; the message says what is wrong with it.
namespace OpenThymos.Core.Writs;

/// <summary>A writ token is malformed. The message is user-facing.</summary>
public sealed class WritTokenException : FormatException
{
    /// <summary>Creates the exception with no message.</summary>
    public WritTokenException()
    {
    }

    /// <summary>Creates the exception with a user-facing message.</summary>
    public WritTokenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the underlying error.</summary>
    public WritTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
