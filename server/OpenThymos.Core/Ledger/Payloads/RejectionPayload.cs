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
public sealed record RejectionPayload(
    [property: JsonPropertyName("proposalId")] string? ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("hunks")] IReadOnlyList<string> Hunks,
    [property: JsonPropertyName("reasonCode")] string ReasonCode,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("agent")] string? Agent,
    [property: JsonPropertyName("writId")] string? WritId,
    [property: JsonPropertyName("paths")] IReadOnlyList<string> Paths,
    [property: JsonPropertyName("policyHash")] string PolicyHash);
