// Payload of a proposal-staged entry (first revision or a later one).
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A compiled intent awaiting decision.</summary>
/// <param name="ProposalId">Stable id (p_…) across revisions.</param>
/// <param name="Revision">1 for the first staging; higher after a rebase or a partial decision.</param>
/// <param name="RevisionReason">Why this revision exists: <c>submitted</c>, <c>rebased</c> or <c>amended</c> (see <c>RevisionReasons</c>).</param>
/// <param name="WritId">The writ the agent submitted under.</param>
/// <param name="Agent">The agent's name from the writ.</param>
/// <param name="Session">The agent session from the writ.</param>
/// <param name="Nonce">The submission nonce the agent sent (replays are refused).</param>
/// <param name="IntentDigest">Hash of the canonical intent, which makes identical re-submissions idempotent.</param>
/// <param name="Description">What the agent said the change is for.</param>
/// <param name="Files">The files and their hunks.</param>
/// <param name="Policy">The policy decision.</param>
/// <param name="Format">
/// The payload format: null (absent) for format 1, where every file's hunks are inline; 2 when files may name their
/// hunks by <see cref="ProposalFileRecord.HunksBlob"/> (docs/ledger-format.md, "Payload formats").
/// </param>
public sealed record ProposalStagedPayload(
    [property: JsonPropertyName("proposalId")] string ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("revisionReason")] string RevisionReason,
    [property: JsonPropertyName("writId")] string WritId,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("nonce")] string Nonce,
    [property: JsonPropertyName("intentDigest")] string IntentDigest,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("files")] IReadOnlyList<ProposalFileRecord> Files,
    [property: JsonPropertyName("policy")] PolicyDecisionRecord Policy,
    [property: JsonPropertyName("format"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Format = null);
