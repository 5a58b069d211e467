// Payload of a revert entry: a commit that compensates an earlier commit.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A compensating commit.</summary>
/// <param name="Reverts">The seq of the commit (or revert) being compensated.</param>
/// <param name="ApprovalSeq">The approval entry (proposal id <c>revert:SEQ</c>) this revert carries out.</param>
/// <param name="Actor">Who asked for the revert.</param>
/// <param name="Reason">Why, as the user gave it.</param>
/// <param name="PolicyHash">Hash of the policy in force.</param>
/// <param name="Files">Each file's before and after hashes.</param>
public sealed record RevertPayload(
    [property: JsonPropertyName("reverts")] long Reverts,
    [property: JsonPropertyName("approvalSeq")] long ApprovalSeq,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("policyHash")] string PolicyHash,
    [property: JsonPropertyName("files")] IReadOnlyList<FileChangeRecord> Files);
