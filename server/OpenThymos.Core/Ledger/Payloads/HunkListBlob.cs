// The blob that holds one file's hunks for a format-2 proposal.staged payload.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>One file's hunks, stored as a content-addressed blob named by <see cref="ProposalFileRecord.HunksBlob"/> (canonical JSON).</summary>
/// <param name="Hunks">The hunks, exactly as an inline (format 1) file record would hold them.</param>
public sealed record HunkListBlob(
    [property: JsonPropertyName("hunks")] IReadOnlyList<HunkRecord> Hunks);
