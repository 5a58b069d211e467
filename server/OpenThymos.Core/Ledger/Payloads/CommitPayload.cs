// Payload of a commit entry: approved changes as they were applied.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>The record of an applied change.</summary>
/// <param name="ProposalId">The proposal the change came from.</param>
/// <param name="Revision">The proposal revision that was approved.</param>
/// <param name="WritId">The writ the proposal was made under.</param>
/// <param name="Agent">The agent that proposed it.</param>
/// <param name="Approver">Who approved: <c>human:NAME</c> or <c>policy:RULE</c>.</param>
/// <param name="ApprovalSeq">The seq of the approval entry this commit carries out.</param>
/// <param name="PolicyHash">Hash of the policy in force at the decision.</param>
/// <param name="Hunks">The hunks applied, as <c>path#hunkId</c>.</param>
/// <param name="Files">Each file's before and after hashes.</param>
/// <param name="Recovered">True when the commit was completed by crash recovery after a restart.</param>
public sealed record CommitPayload(
    [property: JsonPropertyName("proposalId")] string ProposalId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("writId")] string WritId,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("approver")] string Approver,
    [property: JsonPropertyName("approvalSeq")] long ApprovalSeq,
    [property: JsonPropertyName("policyHash")] string PolicyHash,
    [property: JsonPropertyName("hunks")] IReadOnlyList<string> Hunks,
    [property: JsonPropertyName("files")] IReadOnlyList<FileChangeRecord> Files,
    [property: JsonPropertyName("recovered")] bool Recovered);
