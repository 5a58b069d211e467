// Raised when a glob pattern cannot be compiled; the message names the pattern and the fix.
namespace OpenThymos.Core.Globs;

/// <summary>A glob pattern is malformed. The message names the pattern and what to change.</summary>
public sealed class InvalidGlobException : FormatException
{
    /// <summary>Creates the exception for a pattern and a sentence describing the problem.</summary>
    public InvalidGlobException(string pattern, string problem)
        : base($"Glob '{Glob.Shown(pattern)}' is invalid: {problem}")
    {
        Pattern = pattern;
    }

    /// <summary>Creates the exception with a bare message.</summary>
    public InvalidGlobException()
    {
        Pattern = string.Empty;
    }

    /// <summary>Creates the exception with a bare message.</summary>
    public InvalidGlobException(string message)
        : base(message)
    {
        Pattern = string.Empty;
    }

    /// <summary>Creates the exception with a bare message and an inner exception.</summary>
    public InvalidGlobException(string message, Exception innerException)
        : base(message, innerException)
    {
        Pattern = string.Empty;
    }

    /// <summary>The offending pattern.</summary>
    public string Pattern { get; }
}
