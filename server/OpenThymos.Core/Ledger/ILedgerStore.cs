// The narrow storage interface behind the ledger: LiteDB today, PostgreSQL later.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Where entries and blobs are kept. The store knows nothing of hashing rules, kinds or payloads:
/// it keeps bytes and answers by sequence number or content hash, so nothing hashed depends on
/// the backend and replay gives the same world on every backend.
/// </summary>
public interface ILedgerStore : IDisposable
{
    /// <summary>A human-readable location for messages, such as the database file path.</summary>
    string Location { get; }

    /// <summary>The entry with the highest seq, or null for an empty store.</summary>
    LedgerEntry? ReadLast();

    /// <summary>The entry with this seq, or null when there is none.</summary>
    LedgerEntry? Read(long seq);

    /// <summary>Entries with <paramref name="fromSeq"/> ≤ seq ≤ <paramref name="toSeq"/>, in ascending seq order.</summary>
    IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq);

    /// <summary>The highest seq stored, read from the index alone (0 for an empty store).</summary>
    long MaxSeq();

    /// <summary>The number of entries stored.</summary>
    long Count();

    /// <summary>
    /// Stores the entries and any blobs not yet present in one atomic transaction, and returns only
    /// once the transaction is on stable storage. Throws <see cref="LedgerTransactionRolledBackException"/> when the
    /// transaction was rolled back and nothing of it was stored (the store stays usable); any other exception
    /// means the store's state is unknown (for example, the commit or its fsync failed) and it must be reopened.
    /// </summary>
    void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs);

    /// <summary>True when a blob with this hash is stored.</summary>
    bool ContainsBlob(ContentHash hash);

    /// <summary>The blob's bytes, or null when it is not stored.</summary>
    byte[]? ReadBlob(ContentHash hash);

    /// <summary>The hashes of every stored blob, for verification.</summary>
    IEnumerable<ContentHash> ListBlobs();
}

/// <summary>A blob to store with an append: its content and the hash it is stored under.</summary>
/// <param name="Hash">The BLAKE3 hash of <paramref name="Content"/>.</param>
/// <param name="Content">The exact bytes.</param>
public sealed record BlobWrite(ContentHash Hash, ReadOnlyMemory<byte> Content)
{
    /// <summary>Creates a blob write, hashing the content.</summary>
    public static BlobWrite Of(ReadOnlyMemory<byte> content) => new(ContentHash.Of(content.Span), content);
}
