// The backend a ledger is stored in when nothing else is chosen.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Core.Storage;

/// <summary>
/// Names the default <see cref="ILedgerStoreFactory"/>: one LiteDB file per workspace. The composition roots (the
/// sidecar, the CLI, the bench, the test support) pass it in <see cref="LedgerOptions.StoreFactory"/>; the backend-neutral
/// ledger itself never names a backend.
/// </summary>
public static class LedgerStores
{
    /// <summary>The factory of the default backend (LiteDB).</summary>
    public static ILedgerStoreFactory Default => LiteDbLedgerStoreFactory.Instance;
}
