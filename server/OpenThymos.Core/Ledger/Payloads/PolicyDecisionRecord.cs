// The policy's verdict on a proposal as recorded in the ledger.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>What the workspace policy decided and why.</summary>
/// <param name="Hash">Hash of the policy in force.</param>
/// <param name="Outcome"><c>auto-approve</c>, <c>require-approval</c> or <c>deny</c>.</param>
/// <param name="Trace">Per file, which rule decided and which rules did not match and why.</param>
public sealed record PolicyDecisionRecord(
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("trace")] IReadOnlyList<PolicyTraceRecord> Trace);

/// <summary>The policy trace for one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="DecidedBy">The rule name, <c>default</c>, or <c>builtin:PATTERN</c>.</param>
/// <param name="Outcome">The file's outcome.</param>
/// <param name="Notes">Rules considered and why they did not match.</param>
public sealed record PolicyTraceRecord(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("decidedBy")] string DecidedBy,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes);
