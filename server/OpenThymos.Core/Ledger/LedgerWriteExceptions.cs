// The ways an append can fail, by what they leave behind: nothing (the ledger stays writable) or an unknown store.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// An entry's canonical encoding is larger than <see cref="LedgerFormat.MaxEntryBytes"/>. Thrown by
/// <see cref="WorkspaceLedger.Stage(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite})"/> before anything is
/// staged: nothing changed, and the ledger stays writable. The runtime checks sizes itself first and refuses such a
/// submission as a value; this is the backstop that keeps an oversized document from ever reaching the store.
/// </summary>
public sealed class LedgerEntryTooLargeException(string kind, long size)
    : ArgumentException($"A '{kind}' entry of {size} bytes is over the ledger's limit of {LedgerFormat.MaxEntryBytes} bytes per entry; nothing was recorded. Content belongs in blobs: split the change into smaller proposals.")
{
    /// <summary>The entry kind refused.</summary>
    public string Kind { get; } = kind;

    /// <summary>The entry's encoded size in bytes.</summary>
    public long Size { get; } = size;
}

/// <summary>
/// The store rolled a transaction back: none of its entries or blobs were stored, and the store is usable.
/// <see cref="ILedgerStore.Append"/> throws it; any other exception from an append leaves the store in an unknown state.
/// </summary>
public sealed class LedgerTransactionRolledBackException(string message, Exception inner) : IOException(message, inner);

/// <summary>
/// The entries a caller staged were not stored: the transaction that held them was rolled back (their own or an
/// earlier one they were chained to). Nothing of them is in the ledger; the ledger stays writable once its owner
/// has folded its state again from the durable entries (<see cref="WorkspaceLedger.AcknowledgeRollback"/>).
/// </summary>
public sealed class LedgerWriteRolledBackException(string message, Exception? inner) : IOException(message, inner);
