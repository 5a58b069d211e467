// A reviewer's decision on a proposal: what to approve or reject, and any amendments.
namespace OpenThymos.Core.Runtime;

/// <summary>
/// Which pending hunks a decision covers: all of them (<see cref="All"/>), every hunk of some files,
/// or named hunks as <c>path#hunkId</c>.
/// </summary>
/// <param name="Files">Whole files to include.</param>
/// <param name="Hunks">Individual hunks to include, as <c>path#hunkId</c>.</param>
public sealed record HunkSelection(IReadOnlyList<string>? Files = null, IReadOnlyList<string>? Hunks = null)
{
    /// <summary>Every pending hunk.</summary>
    public static HunkSelection All { get; } = new();

    /// <summary>True when the selection names nothing and so means every pending hunk.</summary>
    public bool IsAll => (Files is null || Files.Count == 0) && (Hunks is null || Hunks.Count == 0);
}

/// <summary>A reviewer's replacement text for one hunk, or for a whole file when <paramref name="HunkId"/> is null.</summary>
/// <param name="Path">The file.</param>
/// <param name="HunkId">The hunk, or null for the whole file.</param>
/// <param name="Text">The replacement: the hunk's new lines, or the file's whole new content.</param>
public sealed record Amendment(string Path, string? HunkId, string Text);

/// <summary>Approve hunks of a proposal revision.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Revision">The revision the reviewer saw; an older one is refused.</param>
/// <param name="Approver">Who approves, e.g. <c>human:alice</c>.</param>
/// <param name="Selection">What to approve.</param>
/// <param name="Amendments">Replacement texts for approved hunks or files.</param>
/// <param name="HunkDigests">
/// The content digest (<see cref="HunkDigest"/>) of each hunk the reviewer saw, by <c>path#hunkId</c>. When given, every hunk
/// being approved must be named with the digest it has now, and every named hunk must still have that digest; otherwise the
/// approval is refused with <see cref="RuntimeErrorCode.ReviewOutdated"/> and nothing is recorded. Null means the caller
/// pins the revision only.
/// </param>
/// <param name="Pinned">
/// False when the caller did not show this revision to a person but took whatever was current (<c>thymos approve --current</c>);
/// the approval entry then says so.
/// </param>
public sealed record ApproveRequest(
    string ProposalId,
    int Revision,
    string Approver,
    HunkSelection Selection,
    IReadOnlyList<Amendment>? Amendments = null,
    IReadOnlyDictionary<string, string>? HunkDigests = null,
    bool Pinned = true);

/// <summary>Reject hunks of a proposal revision.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Revision">The revision the reviewer saw.</param>
/// <param name="Actor">Who rejects.</param>
/// <param name="Selection">What to reject.</param>
/// <param name="Reason">Why, for the agent and the record.</param>
/// <param name="HunkDigests">The content digest of each hunk the reviewer saw, by <c>path#hunkId</c>, checked as for an approval; null pins the revision only.</param>
public sealed record RejectRequest(string ProposalId, int Revision, string Actor, HunkSelection Selection, string Reason, IReadOnlyDictionary<string, string>? HunkDigests = null);
