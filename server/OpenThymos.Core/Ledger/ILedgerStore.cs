// The narrow storage interface behind the ledger: LiteDB today, PostgreSQL later.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Where entries and blobs are kept. The store knows nothing of hashing rules, kinds or payloads:
/// it keeps bytes and answers by sequence number or content hash, so nothing hashed depends on
/// the backend and replay gives the same world on every backend. Stores are opened through an
/// <see cref="ILedgerStoreFactory"/>; every backend passes the conformance suite (tests, Ledger/Conformance).
/// <para><b>What it keeps.</b> Entries exactly as appended (every field, byte for byte, the recorded hash included, even
/// when it does not match the fields: the store never recomputes or checks a hash), and blobs exactly as appended under
/// the hash they were given. Nothing is ever changed or removed through this interface.</para>
/// <para><b>Thread-safety.</b> Every member may be called from any thread, concurrently with the others; a writer's
/// <see cref="Append"/> may run while other threads read. A read sees each append whole or not at all. One writable store per
/// ledger at a time (the factory's single-writer lock); any number of read-only stores may be open beside it.</para>
/// <para><b>Exceptions.</b> <see cref="OperationCanceledException"/> is never thrown by the store. A read of something that is
/// not there returns null (or nothing), never throws. A read of something that is there but damaged throws
/// <see cref="InvalidDataException"/> (or another I/O exception), naming the location and the entry or blob; it never returns an
/// entry in the wrong place (a <see cref="Read"/> of seq n returns entry n or throws, <see cref="ReadRange"/> yields strictly
/// ascending seqs within the range or throws). Appending to a read-only store throws <see cref="InvalidOperationException"/>.</para>
/// <para><b>Damaged reads.</b> A read-only store stays usable after a damaged read: one damaged entry or blob makes only the
/// reads that touch it fail, so the verifier can name it and go on reading entry by entry and blob by blob. A writable store
/// that failed to read or write (other than a <see cref="LedgerTransactionRolledBackException"/>) is in an unknown state and
/// is reopened by its owner.</para>
/// </summary>
public interface ILedgerStore : IDisposable
{
    /// <summary>A human-readable location for messages, such as the database file path.</summary>
    string Location { get; }

    /// <summary>The entry with the highest seq, or null for an empty store; throws when that entry is damaged.</summary>
    LedgerEntry? ReadLast();

    /// <summary>The entry with this seq, or null when there is none (any seq below 1 included); throws when it is stored but cannot be read back as entry <paramref name="seq"/>.</summary>
    LedgerEntry? Read(long seq);

    /// <summary>
    /// Entries with <paramref name="fromSeq"/> ≤ seq ≤ <paramref name="toSeq"/>, in strictly ascending seq order, skipping seqs
    /// not stored. Streams: the store holds no lock while the caller consumes the sequence, and an entry appended meanwhile
    /// may or may not be yielded. Throws (while enumerating) when a stored entry in the range is damaged or out of place.
    /// </summary>
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

    /// <summary>
    /// The hashes of every stored blob, for verification: read by walking the store's blob index, a different path from
    /// <see cref="ReadBlob"/>, so that damage on either is seen. An id that is not a content hash is listed as <see cref="ContentHash.Zero"/>.
    /// </summary>
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
