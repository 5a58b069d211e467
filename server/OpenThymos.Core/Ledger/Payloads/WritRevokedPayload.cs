// Payload of a writ-revoked entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A writ (and its delegated children) stopped granting anything.</summary>
/// <param name="WritId">The revoked writ.</param>
/// <param name="Reason">Why, as given.</param>
/// <param name="Cascade">Child writs revoked with it.</param>
public sealed record WritRevokedPayload(
    [property: JsonPropertyName("writId")] string WritId,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("cascade")] IReadOnlyList<string> Cascade);
