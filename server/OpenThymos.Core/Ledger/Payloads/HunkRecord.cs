// A hunk as recorded in the ledger.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>One hunk of a file proposal: the base lines it removes and the lines it adds, with terminators.</summary>
/// <param name="Id">Stable id within the proposal (h1, h2, …); kept across revisions.</param>
/// <param name="BaseStart">0-based index of the first removed line in this revision's base.</param>
/// <param name="Removed">Exact base lines removed, each with its own line terminator.</param>
/// <param name="Added">Exact lines added, each with its own line terminator.</param>
public sealed record HunkRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("baseStart")] int BaseStart,
    [property: JsonPropertyName("removed")] IReadOnlyList<string> Removed,
    [property: JsonPropertyName("added")] IReadOnlyList<string> Added);
