// Writes and reads proposal.staged payloads in both formats: hunks inline (format 1) or in blobs (format 2).
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// The one place a <see cref="ProposalStagedPayload"/> becomes entry bytes and back. In memory a payload always
/// holds every file's hunks inline (<see cref="ProposalFileRecord.HunksBlob"/> null, <see cref="ProposalStagedPayload.Format"/>
/// null). On disk a small payload is written as it always was (format 1); one whose inline form is over
/// <see cref="LedgerFormat.InlineHunksMaxPayloadBytes"/> is written in format 2: each file's hunks go into a
/// content-addressed blob (<see cref="HunkListBlob"/>) named by <c>hunksBlob</c>, so the entry stays small however
/// many lines the change has. Decoding reads the blobs back, checks their hashes and fills the hunks in, so the fold,
/// replay, the timeline and <c>proposal/get</c> see the same payload for either format.
/// </summary>
public static class StagedPayloadCodec
{
    /// <summary>
    /// Encodes a payload (hunks inline) as a pending <c>proposal.staged</c> entry plus the hunk blobs it names
    /// (none for format 1). The caller stores the blobs with the entry.
    /// </summary>
    public static (PendingEntry Entry, IReadOnlyList<BlobWrite> HunkBlobs) Encode(string actor, ProposalStagedPayload payload)
    {
        var inline = payload with { Format = null, Files = [.. payload.Files.Select(f => f with { HunksBlob = null })] };
        var bytes = WorkspaceLedger.Serialize(inline, LedgerJsonContext.Default.ProposalStagedPayload);
        if (bytes.Length <= LedgerFormat.InlineHunksMaxPayloadBytes)
        {
            return (new PendingEntry(EntryKind.ProposalStaged, actor, bytes), []);
        }

        var blobs = new List<BlobWrite>();
        var files = new List<ProposalFileRecord>(inline.Files.Count);
        foreach (var file in inline.Files)
        {
            var blob = BlobWrite.Of(WorkspaceLedger.Serialize(new HunkListBlob(file.Hunks), LedgerJsonContext.Default.HunkListBlob));
            blobs.Add(blob);
            files.Add(file with { Hunks = [], HunksBlob = blob.Hash.ToString() });
        }

        var stored = inline with { Files = files, Format = LedgerFormat.HunkBlobPayloadFormat };
        return (PendingEntry.Of(EntryKind.ProposalStaged, actor, stored, LedgerJsonContext.Default.ProposalStagedPayload), [.. blobs.DistinctBy(b => b.Hash)]);
    }

    /// <summary>
    /// Reads a <c>proposal.staged</c> entry with every file's hunks inline, whichever format it was written in.
    /// </summary>
    /// <exception cref="InvalidDataException">A hunk blob is missing, does not hash to its name, or is malformed.</exception>
    public static ProposalStagedPayload Decode(LedgerEntry entry, Func<ContentHash, byte[]?>? readBlob)
    {
        var payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload);
        if (payload.Format is null && payload.Files.All(f => f.HunksBlob is null))
        {
            return payload;
        }

        var files = new List<ProposalFileRecord>(payload.Files.Count);
        foreach (var file in payload.Files)
        {
            files.Add(file.HunksBlob is null ? file : file with { Hunks = ReadHunks(entry, file, readBlob), HunksBlob = null });
        }

        return payload with { Files = files, Format = null };
    }

    private static IReadOnlyList<HunkRecord> ReadHunks(LedgerEntry entry, ProposalFileRecord file, Func<ContentHash, byte[]?>? readBlob)
    {
        if (!ContentHash.TryParse(file.HunksBlob!, out var hash))
        {
            throw new InvalidDataException($"Entry {entry.Seq} (proposal.staged) names hunk blob '{file.HunksBlob}' for '{file.Path}', which is not a content hash. Run verify to see what is wrong.");
        }

        if (readBlob is null)
        {
            throw new InvalidDataException($"Entry {entry.Seq} (proposal.staged) keeps the hunks of '{file.Path}' in blob {hash}, and this reader has no access to the ledger's blobs.");
        }

        var bytes = readBlob(hash)
            ?? throw new InvalidDataException($"Entry {entry.Seq} (proposal.staged) names hunk blob {hash} for '{file.Path}', which the ledger does not hold. Run verify; restore the ledger from a backup if it reports the blob missing.");
        if (ContentHash.Of(bytes) != hash)
        {
            throw new InvalidDataException($"The hunk blob {hash} named by entry {entry.Seq} for '{file.Path}' does not hash to its name: it was changed. Run verify.");
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(bytes, LedgerJsonContext.Default.HunkListBlob)?.Hunks
                ?? throw new InvalidDataException("it is empty");
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"The hunk blob {hash} named by entry {entry.Seq} for '{file.Path}' is malformed: {exception.Message}", exception);
        }
    }
}
