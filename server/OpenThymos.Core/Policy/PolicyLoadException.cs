// Raised when .thymos/policy.json cannot be used; the message names the file, the place and the fix.
namespace OpenThymos.Core.Policy;

/// <summary>The policy file is malformed. The message says where and what to change.</summary>
public sealed class PolicyLoadException : Exception
{
    /// <summary>Creates the exception for a place in a file.</summary>
    /// <param name="source">The file path (or a description of the source).</param>
    /// <param name="line">1-based line, or 0 when unknown.</param>
    /// <param name="position">1-based byte position in the line, or 0 when unknown.</param>
    /// <param name="problem">A sentence saying what is wrong and how to fix it.</param>
    public PolicyLoadException(string source, long line, long position, string problem)
        : base(line > 0 ? $"Policy file '{source}', line {line}, position {position}: {problem}" : $"Policy file '{source}': {problem}")
    {
        FilePath = source;
        Line = line;
        Position = position;
    }

    /// <summary>Creates the exception with a bare message.</summary>
    public PolicyLoadException()
    {
    }

    /// <summary>Creates the exception with a bare message.</summary>
    public PolicyLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a bare message and an inner exception.</summary>
    public PolicyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The policy file the problem is in; empty when built from a bare message.</summary>
    public string FilePath { get; } = string.Empty;

    /// <summary>1-based line of the problem, or 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>1-based byte position in the line, or 0 when unknown.</summary>
    public long Position { get; }
}
