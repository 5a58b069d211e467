// Proposal requests of the editor surface: list, get, approve, reject, amend.
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary><c>proposal/list</c> params.</summary>
public sealed record ListProposalsParams
{
    /// <summary>Only these statuses (pending, approved, partiallyApproved, rejected, stale, failed); null = all.</summary>
    [JsonPropertyName("statuses")] public IReadOnlyList<string>? Statuses { get; init; }

    /// <summary>Only this agent.</summary>
    [JsonPropertyName("agent")] public string? Agent { get; init; }

    /// <summary>Only proposals touching this path.</summary>
    [JsonPropertyName("path")] public string? Path { get; init; }

    /// <summary>At most this many, newest first (default 200).</summary>
    [JsonPropertyName("limit")] public int? Limit { get; init; }
}

/// <summary><c>proposal/list</c> result.</summary>
public sealed record ListProposalsResult
{
    /// <summary>Matching proposals, newest first.</summary>
    [JsonPropertyName("proposals")] public IReadOnlyList<ProposalSummary> Proposals { get; init; } = [];
}

/// <summary>A proposal in lists and notifications.</summary>
public sealed record ProposalSummary
{
    /// <summary>The proposal id.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>The current revision.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>pending, approved, partiallyApproved, rejected, stale or failed.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>The proposing agent.</summary>
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";

    /// <summary>The agent session.</summary>
    [JsonPropertyName("session")] public string Session { get; init; } = "";

    /// <summary>The writ it was made under.</summary>
    [JsonPropertyName("writId")] public string WritId { get; init; } = "";

    /// <summary>What the agent said it is for.</summary>
    [JsonPropertyName("description")] public string Description { get; init; } = "";

    /// <summary>When first staged (ISO 8601 UTC).</summary>
    [JsonPropertyName("createdAt")] public string CreatedAt { get; init; } = "";

    /// <summary>When last changed (ISO 8601 UTC).</summary>
    [JsonPropertyName("updatedAt")] public string UpdatedAt { get; init; } = "";

    /// <summary>Per file: path, effect and hunk counts.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<ProposalFileSummary> Files { get; init; } = [];

    /// <summary>The last rejection or failure reason, if any.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>
    /// Every hidden or control code point (as in <see cref="HunkInfo.HiddenCharacters"/>) in this revision's hunk lines,
    /// paths and description, as distinct <c>U+XXXX</c> names in code point order; empty when none.
    /// </summary>
    [JsonPropertyName("hiddenCharacters")] public IReadOnlyList<string> HiddenCharacters { get; init; } = [];
}

/// <summary>A file of a proposal in lists.</summary>
public sealed record ProposalFileSummary
{
    /// <summary>The path (new path of a rename).</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>create, modify, delete or rename.</summary>
    [JsonPropertyName("effect")] public string Effect { get; init; } = "";

    /// <summary>Hunks in this revision.</summary>
    [JsonPropertyName("hunkCount")] public int HunkCount { get; init; }

    /// <summary>Hunks still pending.</summary>
    [JsonPropertyName("pendingCount")] public int PendingCount { get; init; }
}

/// <summary><c>proposal/get</c> params.</summary>
public sealed record GetProposalParams
{
    /// <summary>The proposal id.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";
}

/// <summary><c>proposal/get</c> result.</summary>
public sealed record GetProposalResult
{
    /// <summary>The summary.</summary>
    [JsonPropertyName("proposal")] public ProposalSummary Proposal { get; init; } = new();

    /// <summary>Each file with its hunks and texts.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<ProposalFileDetail> Files { get; init; } = [];

    /// <summary>The policy's decision and trace.</summary>
    [JsonPropertyName("policy")] public PolicyDecisionInfo Policy { get; init; } = new();
}

/// <summary>One file of a proposal in full.</summary>
public sealed record ProposalFileDetail
{
    /// <summary>The path (new path of a rename).</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>For a rename, the old path.</summary>
    [JsonPropertyName("fromPath")] public string? FromPath { get; init; }

    /// <summary>create, modify, delete or rename.</summary>
    [JsonPropertyName("effect")] public string Effect { get; init; } = "";

    /// <summary>True for binary files (no text, one whole-file hunk).</summary>
    [JsonPropertyName("binary")] public bool Binary { get; init; }

    /// <summary>The base hash the hunks apply to.</summary>
    [JsonPropertyName("baseHash")] public string? BaseHash { get; init; }

    /// <summary>The hash expected on disk now (base plus hunks approved so far).</summary>
    [JsonPropertyName("currentHash")] public string? CurrentHash { get; init; }

    /// <summary>The base text (null for binary or created files).</summary>
    [JsonPropertyName("baseText")] public string? BaseText { get; init; }

    /// <summary>The text if every hunk is approved (null for binary or deleted files).</summary>
    [JsonPropertyName("proposedText")] public string? ProposedText { get; init; }

    /// <summary>The hunks.</summary>
    [JsonPropertyName("hunks")] public IReadOnlyList<HunkInfo> Hunks { get; init; } = [];
}

/// <summary>One hunk on the wire.</summary>
public sealed record HunkInfo
{
    /// <summary>Stable id within the proposal (h1, h2, …).</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    /// <summary>0-based line in the base where removed lines start (or where added lines go).</summary>
    [JsonPropertyName("baseStart")] public int BaseStart { get; init; }

    /// <summary>Removed lines, each with its terminator.</summary>
    [JsonPropertyName("removed")] public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Added lines, each with its terminator.</summary>
    [JsonPropertyName("added")] public IReadOnlyList<string> Added { get; init; } = [];

    /// <summary>pending, approved, rejected or failed.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>
    /// The code points in the removed or added lines that a reviewer could not see as written (controls other than tab,
    /// bidirectional controls, invisible and default-ignorable characters), as distinct <c>U+XXXX</c> names in code point
    /// order; empty when none. Clients show such a hunk with a warning naming them and ask before approving it in bulk.
    /// </summary>
    [JsonPropertyName("hiddenCharacters")] public IReadOnlyList<string> HiddenCharacters { get; init; } = [];

    /// <summary>
    /// The hunk's content digest (64 hex digits; docs/protocol.md, Hunk digests): BLAKE3 over a canonical encoding of its file's
    /// path, effect and position and its removed and added lines. A decision names the digests of the hunks the reviewer saw.
    /// </summary>
    [JsonPropertyName("digest")] public string Digest { get; init; } = "";
}

/// <summary>The policy verdict on a proposal.</summary>
public sealed record PolicyDecisionInfo
{
    /// <summary>The policy hash at staging.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";

    /// <summary>auto-approve, require-approval or deny.</summary>
    [JsonPropertyName("outcome")] public string Outcome { get; init; } = "";

    /// <summary>Per file: the deciding rule and notes.</summary>
    [JsonPropertyName("trace")] public IReadOnlyList<PolicyTraceInfo> Trace { get; init; } = [];
}

/// <summary>The policy trace for one file.</summary>
public sealed record PolicyTraceInfo
{
    /// <summary>The file.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The deciding rule.</summary>
    [JsonPropertyName("decidedBy")] public string DecidedBy { get; init; } = "";

    /// <summary>The outcome.</summary>
    [JsonPropertyName("outcome")] public string Outcome { get; init; } = "";

    /// <summary>Rules that did not match and why.</summary>
    [JsonPropertyName("notes")] public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary><c>proposal/approve</c> params. Naming neither files nor hunks means every pending hunk.</summary>
public sealed record ApproveProposalParams
{
    /// <summary>The proposal id.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>The revision the reviewer saw.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>Whole files to approve.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Hunks to approve, as <c>path#hunkId</c>.</summary>
    [JsonPropertyName("hunks")] public IReadOnlyList<string>? Hunks { get; init; }

    /// <summary>Reviewer replacements.</summary>
    [JsonPropertyName("amendments")] public IReadOnlyList<AmendmentInfo>? Amendments { get; init; }

    /// <summary>
    /// The digest of each hunk the reviewer saw, by <c>path#hunkId</c> (from <see cref="HunkInfo.Digest"/>). When given, every hunk
    /// being approved must be named and every named hunk must still have that digest, or the approval is refused with
    /// <c>ReviewOutdated</c> and nothing is written. Clients that show hunks send them; null pins the revision only.
    /// </summary>
    [JsonPropertyName("hunkDigests")] public IReadOnlyDictionary<string, string>? HunkDigests { get; init; }

    /// <summary>
    /// False when no person was shown this revision and the caller approves whatever is current (<c>thymos approve --current</c>);
    /// the approval entry records it as unpinned. Null or true: the revision is the one the reviewer saw.
    /// </summary>
    [JsonPropertyName("pinned")] public bool? Pinned { get; init; }
}

/// <summary>A reviewer's replacement text for a hunk (or a whole file when <see cref="HunkId"/> is null).</summary>
public sealed record AmendmentInfo
{
    /// <summary>The file.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The hunk, or null for the whole file.</summary>
    [JsonPropertyName("hunkId")] public string? HunkId { get; init; }

    /// <summary>The replacement text.</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";
}

/// <summary><c>proposal/reject</c> params. Naming neither files nor hunks means every pending hunk.</summary>
public sealed record RejectProposalParams
{
    /// <summary>The proposal id.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>The revision the reviewer saw.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>Whole files to reject.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Hunks to reject, as <c>path#hunkId</c>.</summary>
    [JsonPropertyName("hunks")] public IReadOnlyList<string>? Hunks { get; init; }

    /// <summary>Why, for the agent and the record.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>The digest of each hunk the reviewer saw, by <c>path#hunkId</c>, checked as for <c>proposal/approve</c>; null pins the revision only.</summary>
    [JsonPropertyName("hunkDigests")] public IReadOnlyDictionary<string, string>? HunkDigests { get; init; }
}

/// <summary><c>proposal/amend</c> params: the reviewer's whole new text for one file of a pending proposal.</summary>
public sealed record AmendProposalParams
{
    /// <summary>The proposal id.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>The revision the reviewer edited; an older one is refused (RevisionMismatch).</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>The file of the proposal whose proposed text is replaced.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The file's whole new text, exactly as saved; it is written in the file's encoding on approval.</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";
}

/// <summary><c>proposal/amend</c> result.</summary>
public sealed record AmendProposalResult
{
    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>The revision now pending: the new one, or the same when the text equalled it.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>True when a new revision was recorded; false when the text equalled what was already proposed.</summary>
    [JsonPropertyName("recorded")] public bool Recorded { get; init; }

    /// <summary>The amended file's hunks in the revision now pending.</summary>
    [JsonPropertyName("hunks")] public IReadOnlyList<HunkInfo> Hunks { get; init; } = [];
}

/// <summary>The result of approve, reject and revert.</summary>
public sealed record DecisionResultInfo
{
    /// <summary>committed, rejected, rebased, stale or failed (refusals are JSON-RPC errors).</summary>
    [JsonPropertyName("outcome")] public string Outcome { get; init; } = "";

    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string? ProposalId { get; init; }

    /// <summary>The proposal's revision afterwards.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>The commit or revert entry, when something was applied.</summary>
    [JsonPropertyName("commitSeq")] public long? CommitSeq { get; init; }

    /// <summary>For rebased, stale and failed: what happened and what to do.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
}
