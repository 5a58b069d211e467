// Payload of an external-change-observed entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A file was found different from what the ledger expected; the observed bytes are a blob.</summary>
/// <param name="Path">The file.</param>
/// <param name="Expected">The hash the ledger expected, or null for absent.</param>
/// <param name="Observed">The hash found on disk, or null for absent.</param>
/// <param name="ProposalId">The proposal whose approval noticed it, if any.</param>
public sealed record ExternalChangeObservedPayload(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("expected")] string? Expected,
    [property: JsonPropertyName("observed")] string? Observed,
    [property: JsonPropertyName("proposalId")] string? ProposalId);
