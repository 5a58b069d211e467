// Describes a pending hunk that collides with someone else's edit of the same file.
namespace OpenThymos.Core.Text;

/// <summary>
/// A pending hunk that cannot be rebased because an external change touches its base range.
/// </summary>
/// <param name="Hunk">The pending hunk, unchanged (relative to the old base).</param>
/// <param name="ExternalBaseStart">The 0-based start, in the old base, of the colliding external change(s).</param>
/// <param name="ExternalBaseCount">How many old-base lines the colliding external change(s) span.</param>
/// <param name="ChangedStart">The 0-based start of the same region in the changed file, for messages.</param>
/// <param name="ChangedCount">How many lines of the changed file that region spans.</param>
public sealed record RebaseConflict(Hunk Hunk, int ExternalBaseStart, int ExternalBaseCount, int ChangedStart, int ChangedCount);
