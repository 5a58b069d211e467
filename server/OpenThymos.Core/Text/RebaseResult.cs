// The outcome of rebasing pending hunks over an external edit.
namespace OpenThymos.Core.Text;

/// <summary>
/// Pending hunks split into those that still apply to the changed file and those that conflict.
/// </summary>
/// <param name="Rebased">Non-conflicting hunks with their original ids, positioned against the changed file.</param>
/// <param name="Conflicts">The conflicting hunks with the external region each collides with.</param>
public sealed record RebaseResult(IReadOnlyList<Hunk> Rebased, IReadOnlyList<RebaseConflict> Conflicts)
{
    /// <summary>The original (un-shifted) hunks that conflict with the external change.</summary>
    public IReadOnlyList<Hunk> Conflicting { get; } = [.. Conflicts.Select(c => c.Hunk)];

    /// <summary>Whether every pending hunk survived the rebase.</summary>
    public bool IsClean => Conflicts.Count == 0;
}
