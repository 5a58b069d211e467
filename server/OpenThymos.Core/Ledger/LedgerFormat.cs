// Constants of the ledger format that are written into every genesis entry.
namespace OpenThymos.Core.Ledger;

/// <summary>The on-disk and hashed format of a ledger (docs/ledger-format.md).</summary>
public static class LedgerFormat
{
    /// <summary>The ledger format version named in the genesis payload.</summary>
    public const int Version = 1;

    /// <summary>The hash algorithm named in the genesis payload.</summary>
    public const string HashAlgorithm = "blake3-256";

    /// <summary>The entry encoding named in the genesis payload.</summary>
    public const string EntryEncoding = "otle-1";

    /// <summary>The seq of the genesis entry.</summary>
    public const long GenesisSeq = 1;

    /// <summary>
    /// The largest canonical encoding (<see cref="CanonicalEntryEncoding.EncodedLength"/>) of one entry: 1 MiB.
    /// Content lives in blobs (chunked, any size); an entry only references it, so a larger entry is refused before
    /// it is staged and never reaches the store (whose documents are limited to 16 MB).
    /// </summary>
    public const int MaxEntryBytes = 1 << 20;

    /// <summary>
    /// A <c>proposal.staged</c> payload whose inline form (format 1) is larger than this is written in format 2,
    /// every file's hunks in a blob (docs/ledger-format.md, "Payload formats").
    /// </summary>
    public const int InlineHunksMaxPayloadBytes = 64 * 1024;

    /// <summary>The <c>proposal.staged</c> payload format that names hunk blobs.</summary>
    public const int HunkBlobPayloadFormat = 2;
}
