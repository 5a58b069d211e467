// Payload of an execution-failed entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>An approved change that was not applied, and why; the workspace holds the before state.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Revision">The revision approved.</param>
/// <param name="ApprovalSeq">The approval that could not be carried out.</param>
/// <param name="ReasonCode">A stable code, e.g. <c>io-error</c> or <c>interrupted-apply-conflict</c>.</param>
/// <param name="Reason">A sentence naming the file and what to do.</param>
public sealed record ExecutionFailedPayload(
    [property: JsonPropertyName("proposalId")] string ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("approvalSeq")] long ApprovalSeq,
    [property: JsonPropertyName("reasonCode")] string ReasonCode,
    [property: JsonPropertyName("reason")] string Reason);
