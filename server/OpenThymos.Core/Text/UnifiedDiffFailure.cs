// Describes why a unified diff could not be applied, in terms an agent can act on.
namespace OpenThymos.Core.Text;

/// <summary>A unified diff that was refused. Nothing is applied when any hunk fails.</summary>
/// <param name="HunkIndex">The 0-based index of the failing hunk, or null when the diff as a whole is malformed.</param>
/// <param name="Message">A user-facing sentence (hunks counted from 1); the caller prefixes the file path.</param>
public sealed record UnifiedDiffFailure(int? HunkIndex, string Message);
