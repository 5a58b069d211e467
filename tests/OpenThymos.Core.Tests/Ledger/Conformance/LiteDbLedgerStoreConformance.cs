// The store conformance suite run against the LiteDB backend (entries in sealed blocks and in the tail alike).
using LiteDB;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;

namespace OpenThymos.Core.Tests.Ledger.Conformance;

public sealed class LiteDbLedgerStoreConformance : LedgerStoreConformance
{
    protected override ILedgerStoreFactory Stores => LedgerStores.Default;

    /// <summary>Turns the tail document's <c>hash</c> into text, so the entry no longer decodes (the suite damages tail entries only).</summary>
    protected override void DamageEntry(string location, long seq)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = location, Connection = ConnectionType.Direct });
        var entries = database.GetCollection("entries");
        var document = entries.FindById(seq) ?? throw new InvalidOperationException($"entry {seq} is not a tail document of '{location}'");
        document["hash"] = "damaged";
        entries.Update(document);
    }
}
