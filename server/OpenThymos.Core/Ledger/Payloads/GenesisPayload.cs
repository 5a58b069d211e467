// Payload of the genesis entry.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>The first entry of every ledger: what workspace it belongs to and how to check it.</summary>
/// <param name="FormatVersion">The ledger format version (<see cref="LedgerFormat.Version"/>).</param>
/// <param name="WorkspaceId">A random id naming the workspace; keys and anchors are filed under it.</param>
/// <param name="WorkspaceKey">The workspace's Ed25519 public key (hex) that signs writs and the head anchor.</param>
/// <param name="HashAlgorithm">Always "blake3-256".</param>
/// <param name="EntryEncoding">Always "otle-1": the canonical entry encoding of docs/ledger-format.md.</param>
public sealed record GenesisPayload(
    [property: JsonPropertyName("formatVersion")] int FormatVersion,
    [property: JsonPropertyName("workspaceId")] string WorkspaceId,
    [property: JsonPropertyName("workspaceKey")] string WorkspaceKey,
    [property: JsonPropertyName("hashAlgorithm")] string HashAlgorithm,
    [property: JsonPropertyName("entryEncoding")] string EntryEncoding);
