// Payload of an approval entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A decision to apply some or all hunks of a proposal revision, with any reviewer amendments.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Revision">The revision the reviewer saw.</param>
/// <param name="Approver"><c>human:NAME</c>, or <c>policy:RULE</c> for an auto-approval.</param>
/// <param name="Hunks">Approved hunks as <c>path#hunkId</c>.</param>
/// <param name="Amendments">Reviewer replacements recorded beside the originals.</param>
/// <param name="PolicyHash">Hash of the policy in force at the decision.</param>
/// <param name="Files">Per file: the hash expected on disk now and the hash after applying this decision.</param>
/// <param name="Note">The approver's note; for a revert (proposal id <c>revert:SEQ</c>) the reason.</param>
/// <param name="HunkDigests">
/// The content digest of each hunk the reviewer saw, by <c>path#hunkId</c>, as the approve request named them (checked
/// against the revision before anything was recorded). Absent from the entry when the request named none (older clients,
/// policy auto-approvals, reverts), so entries written before this field existed keep their bytes and hash.
/// </param>
/// <param name="Pinned">
/// False when the approver did not pin a revision it had shown (<c>thymos approve --current</c> approves whatever is current);
/// absent otherwise.
/// </param>
public sealed record ApprovalPayload(
    [property: JsonPropertyName("proposalId")] string ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("approver")] string Approver,
    [property: JsonPropertyName("hunks")] IReadOnlyList<string> Hunks,
    [property: JsonPropertyName("amendments")] IReadOnlyList<AmendmentRecord> Amendments,
    [property: JsonPropertyName("policyHash")] string PolicyHash,
    [property: JsonPropertyName("files")] IReadOnlyList<FileChangeRecord> Files,
    [property: JsonPropertyName("note")] string Note,
    [property: JsonPropertyName("hunkDigests"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? HunkDigests = null,
    [property: JsonPropertyName("pinned"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Pinned = null);

/// <summary>A reviewer's replacement text for one hunk, or for a whole file when <paramref name="HunkId"/> is null.</summary>
/// <param name="Path">The file.</param>
/// <param name="HunkId">The hunk replaced, or null for the whole file.</param>
/// <param name="OriginalHash">Hash of the agent's proposed text for that hunk or file.</param>
/// <param name="Text">The reviewer's replacement text.</param>
public sealed record AmendmentRecord(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("hunkId")] string? HunkId,
    [property: JsonPropertyName("originalHash")] string OriginalHash,
    [property: JsonPropertyName("text")] string Text);
