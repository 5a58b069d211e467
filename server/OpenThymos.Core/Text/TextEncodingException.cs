// The error raised when edited text cannot be written back in the file's own encoding.
namespace OpenThymos.Core.Text;

/// <summary>
/// Thrown when text cannot be encoded in a document's encoding, for example a character above
/// U+00FF written into a Latin-1 file. The message is user-facing and names the character.
/// </summary>
public sealed class TextEncodingException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public TextEncodingException()
        : base("The text cannot be represented in the file's encoding.")
    {
    }

    /// <summary>Creates the exception with a user-facing message.</summary>
    public TextEncodingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the encoder's own error.</summary>
    public TextEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
