// The store conformance suite run against the LiteDB backend (entries in sealed blocks and in the tail alike).
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;

namespace OpenThymos.Core.Tests.Ledger.Conformance;

public sealed class LiteDbLedgerStoreConformance : LedgerStoreConformance
{
    protected override ILedgerStoreFactory Stores => LedgerStores.Default;
}
