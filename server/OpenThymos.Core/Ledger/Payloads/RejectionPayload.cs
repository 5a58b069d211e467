// Payload of a rejection entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>
/// A rejection: of hunks, files or a whole proposal by a reviewer, or by the runtime (revoked writ,
/// stale base, policy deny), or of an intent refused before it became a proposal.
/// </summary>
/// <param name="ProposalId">The proposal, or null for an intent refused before staging.</param>
/// <param name="Revision">The revision, or 0 when there is no proposal.</param>
/// <param name="Hunks">Rejected hunks as <c>path#hunkId</c> (empty for a refused intent).</param>
/// <param name="ReasonCode">Stable code: <c>reviewer</c>, <c>writ-revoked</c>, <c>stale-base</c>, <c>policy-denied</c>, <c>path-refused</c>, <c>writ-refused</c>, <c>intent-invalid</c>, <c>replayed-nonce</c>, <c>session-refused</c>.</param>
/// <param name="Reason">A sentence naming what was refused and what to do.</param>
/// <param name="Agent">The agent concerned, if known.</param>
/// <param name="WritId">The writ concerned, if known.</param>
/// <param name="Paths">Paths the refused intent named.</param>
/// <param name="PolicyHash">Hash of the policy in force.</param>
/// <param name="Count">
/// For a refused attempt (no proposal): how many attempts this entry stands for; absent means 1. An aggregate entry
/// (count above 1) stands for repeats of one refusal (same session or token scope, reason and error) within one window.
/// </param>
/// <param name="FirstTime">For an aggregate: when the first attempt it counts was refused (Unix milliseconds).</param>
/// <param name="LastTime">For an aggregate: when the last attempt it counts was refused (Unix milliseconds).</param>
/// <param name="Digest">For a refused attempt: a BLAKE3 digest of what was refused (the intent's files, or the token), never its content.</param>
/// <param name="Samples">For an aggregate: the digests of up to eight of the attempts it counts.</param>
/// <param name="RequestBytes">For a refused intent: the bytes of content it carried, when known.</param>
/// <param name="PathCount">For a refused intent: how many paths it named, when more than <paramref name="Paths"/> records.</param>
public sealed record RejectionPayload(
    [property: JsonPropertyName("proposalId")] string? ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("hunks")] IReadOnlyList<string> Hunks,
    [property: JsonPropertyName("reasonCode")] string ReasonCode,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("agent")] string? Agent,
    [property: JsonPropertyName("writId")] string? WritId,
    [property: JsonPropertyName("paths")] IReadOnlyList<string> Paths,
    [property: JsonPropertyName("policyHash")] string PolicyHash,
    [property: JsonPropertyName("count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Count = null,
    [property: JsonPropertyName("firstTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FirstTime = null,
    [property: JsonPropertyName("lastTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastTime = null,
    [property: JsonPropertyName("digest"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Digest = null,
    [property: JsonPropertyName("samples"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Samples = null,
    [property: JsonPropertyName("requestBytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RequestBytes = null,
    [property: JsonPropertyName("pathCount"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PathCount = null)
{
    /// <summary>How many attempts this entry stands for (1 unless it is an aggregate).</summary>
    [JsonIgnore]
    public long Attempts => Count ?? 1;
}
