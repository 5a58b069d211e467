// Payload of a policy-changed entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>The workspace policy in force changed; its text is stored as a blob under <paramref name="Hash"/>.</summary>
/// <param name="PreviousHash">The policy hash before, or null for the first policy.</param>
/// <param name="Hash">The new policy hash.</param>
/// <param name="Source"><c>file</c> for .thymos/policy.json, <c>default</c> for the built-in default.</param>
public sealed record PolicyChangedPayload(
    [property: JsonPropertyName("previousHash")] string? PreviousHash,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("source")] string Source);
