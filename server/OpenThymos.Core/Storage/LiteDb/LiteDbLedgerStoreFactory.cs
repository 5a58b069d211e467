// Opens LiteDB ledger stores: the factory of the default backend.
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Opens <see cref="LiteDbLedgerStore"/>s by file path. <see cref="Instance"/> is the production factory; the bench
/// and the durability tests make one with a <see cref="LiteDbStoreMeter"/>, which every writable store it opens reports to.
/// </summary>
public sealed class LiteDbLedgerStoreFactory : ILedgerStoreFactory
{
    private readonly LiteDbStoreMeter? _meter;

    private LiteDbLedgerStoreFactory(LiteDbStoreMeter? meter) => _meter = meter;

    /// <summary>The factory production uses: stores without a meter.</summary>
    public static LiteDbLedgerStoreFactory Instance { get; } = new(meter: null);

    /// <summary>A factory whose writable stores report what durability costs to <paramref name="meter"/> (bench and tests only).</summary>
    internal static LiteDbLedgerStoreFactory Metered(LiteDbStoreMeter meter) => new(meter);

    /// <inheritdoc />
    public ILedgerStore OpenForWriting(string location, string holderDescription) =>
        LiteDbLedgerStore.OpenForWriting(location, holderDescription, _meter);

    /// <inheritdoc />
    public ILedgerStore OpenReadOnly(string location)
    {
        try
        {
            return LiteDbLedgerStore.OpenReadOnly(location);
        }
        catch (LiteDB.LiteException exception)
        {
            // The contract names one exception for a ledger too damaged to open; LiteDB's own message says what it met.
            throw new InvalidDataException(exception.Message, exception);
        }
    }

    /// <inheritdoc />
    public bool Exists(string location) => File.Exists(location);

    /// <inheritdoc />
    public IReadOnlyList<string> FilesOf(string location) => [location, LiteDbLedgerStore.LogPathOf(location)];
}
