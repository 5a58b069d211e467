// What has already been done under a writ, for checking its budget.
using System.Collections.Frozen;

namespace OpenThymos.Core.Writs;

/// <summary>Work already done under a writ.</summary>
/// <param name="Proposals">Proposals staged so far (not counting the one being checked).</param>
/// <param name="Files">Distinct workspace-relative paths touched so far.</param>
/// <param name="Bytes">Bytes of new content written so far.</param>
public sealed record WritUsage(int Proposals, IReadOnlySet<string> Files, long Bytes)
{
    /// <summary>No work done yet.</summary>
    public static WritUsage None { get; } = new(0, FrozenSet<string>.Empty, 0);
}
