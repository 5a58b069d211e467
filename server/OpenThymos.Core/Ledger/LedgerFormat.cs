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
}
