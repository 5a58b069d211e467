// The one way a ledger store is opened: every place that opens a ledger goes through a factory.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// Opens the <see cref="ILedgerStore"/>s of one backend by location (a file path for LiteDB; a connection string and
/// workspace id for a server backend). The runtime, the verifier, the CLI and the tools open ledgers only through a
/// factory, so a second backend is one implementation of this interface plus the conformance suite run against it.
/// Implementations are thread-safe and hold no open store themselves.
/// </summary>
public interface ILedgerStoreFactory
{
    /// <summary>
    /// Opens (creating if needed) the ledger at <paramref name="location"/> for writing, taking the backend's
    /// single-writer lock first. The caller owns the store and disposes it, which releases the lock.
    /// </summary>
    /// <exception cref="LedgerLockedException">Another writer holds the ledger.</exception>
    ILedgerStore OpenForWriting(string location, string holderDescription);

    /// <summary>
    /// Opens an existing ledger for reading only; a writer may hold it at the same time, and the store never writes.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no ledger at <paramref name="location"/>.</exception>
    /// <exception cref="InvalidDataException">The ledger is damaged so that it cannot be opened safely.</exception>
    ILedgerStore OpenReadOnly(string location);

    /// <summary>True when a ledger exists at <paramref name="location"/>.</summary>
    bool Exists(string location);

    /// <summary>
    /// The files that hold the ledger at <paramref name="location"/> (removing them removes the ledger), in the order
    /// messages name them; empty for a backend that keeps no files in the workspace.
    /// </summary>
    IReadOnlyList<string> FilesOf(string location);
}
