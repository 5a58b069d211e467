// One file of a staged proposal as recorded in the ledger.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>
/// A file the proposal touches. Base and result bytes are stored as blobs under their hashes, so
/// the proposal can be rebuilt and reviewed from the ledger alone.
/// </summary>
/// <param name="Path">The path the change applies to (the new path of a rename).</param>
/// <param name="Effect"><c>create</c>, <c>modify</c>, <c>delete</c> or <c>rename</c>.</param>
/// <param name="FromPath">For a rename, the old path; otherwise null.</param>
/// <param name="BaseHash">Hash of the file the proposal was computed against (null for create).</param>
/// <param name="ResultHash">Hash of the file if every hunk is approved (null for delete).</param>
/// <param name="Binary">True when the file is not text: the proposal is one whole-file hunk.</param>
/// <param name="Encoding">The text encoding detected for diffing (utf-8, utf-8-bom, utf-16le-bom, utf-16be-bom, latin-1), or null.</param>
/// <param name="ChangedLines">Removed plus added lines, as the policy saw it.</param>
/// <param name="Hunks">The hunks, relative to <paramref name="BaseHash"/>'s content (empty in the stored form when <paramref name="HunksBlob"/> names them).</param>
/// <param name="HunksBlob">
/// Payload format 2: the hash of the blob holding this file's hunks (<see cref="HunkListBlob"/>), so that no entry
/// carries a large file's lines; null (and absent from the JSON) when the hunks are inline, as in format 1.
/// Readers get the hunks filled in and this null from <see cref="StagedPayloadCodec.Decode"/>.
/// </param>
public sealed record ProposalFileRecord(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("effect")] string Effect,
    [property: JsonPropertyName("fromPath")] string? FromPath,
    [property: JsonPropertyName("baseHash")] string? BaseHash,
    [property: JsonPropertyName("resultHash")] string? ResultHash,
    [property: JsonPropertyName("binary")] bool Binary,
    [property: JsonPropertyName("encoding")] string? Encoding,
    [property: JsonPropertyName("changedLines")] int ChangedLines,
    [property: JsonPropertyName("hunks")] IReadOnlyList<HunkRecord> Hunks,
    [property: JsonPropertyName("hunksBlob"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HunksBlob = null);
