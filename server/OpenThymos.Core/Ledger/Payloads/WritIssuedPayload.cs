// Payload of a writ-issued entry.
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>A writ as signed: its canonical JSON object and the Ed25519 signature over it.</summary>
/// <param name="Writ">The writ's canonical JSON object (docs/writs.md).</param>
/// <param name="Signature">Hex Ed25519 signature by the workspace key over the canonical bytes of <paramref name="Writ"/>.</param>
public sealed record WritIssuedPayload(
    [property: JsonPropertyName("writ")] JsonObject Writ,
    [property: JsonPropertyName("signature")] string Signature);
