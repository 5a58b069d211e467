// Feeds already-split lines to DiffPlex, which otherwise insists on splitting text itself.
using DiffPlex;

namespace OpenThymos.Core.Text;

/// <summary>
/// An <see cref="IChunker"/> that ignores the text DiffPlex hands it and returns lines prepared
/// by the caller. DiffPlex's own line chunker drops terminators, but hunks must compare lines
/// exactly, terminators included. The two keys stand in for "base" and "new" text.
/// </summary>
internal sealed class PreparedLinesChunker : IChunker
{
    /// <summary>The text passed to DiffPlex as the old document. Must be non-empty or DiffPlex skips chunking.</summary>
    public const string BaseKey = "base";

    /// <summary>The text passed to DiffPlex as the new document.</summary>
    public const string NewKey = "new";

    private readonly string[] _baseLines;
    private readonly string[] _newLines;

    public PreparedLinesChunker(IReadOnlyList<string> baseLines, IReadOnlyList<string> newLines)
    {
        _baseLines = [.. baseLines];
        _newLines = [.. newLines];
    }

    public IReadOnlyList<string> Chunk(string text) => text switch
    {
        BaseKey => _baseLines,
        NewKey => _newLines,
        _ => throw new InvalidOperationException($"Unexpected chunk key '{text}'."),
    };
}
