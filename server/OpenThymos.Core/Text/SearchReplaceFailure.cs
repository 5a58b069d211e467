// Describes a refused search/replace block in terms an agent can act on.
namespace OpenThymos.Core.Text;

/// <summary>
/// A search/replace block that could not be applied. Nothing is applied when any block fails.
/// </summary>
/// <param name="BlockIndex">The 0-based index of the failing block (messages count from 1).</param>
/// <param name="Kind">Why the block was refused.</param>
/// <param name="MatchCount">How many places the search text matched (0 for not found, 2+ for ambiguous).</param>
public sealed record SearchReplaceFailure(int BlockIndex, SearchReplaceFailureKind Kind, int MatchCount)
{
    /// <summary>
    /// A user-facing sentence telling the agent what to do; the caller prefixes the file path.
    /// </summary>
    public string Message => Kind switch
    {
        SearchReplaceFailureKind.EmptySearch =>
            $"Search block {BlockIndex + 1} has empty search text; copy the exact lines to replace from the file.",
        SearchReplaceFailureKind.Ambiguous =>
            $"Search block {BlockIndex + 1} matched {MatchCount} places in the file; include more surrounding lines so it matches exactly one.",
        _ =>
            $"Search block {BlockIndex + 1} matched 0 places in the file; re-read the file and resend the edit with text copied from it.",
    };
}
