// A ledger read back whole through the storage interface, the starting point of the tamper harnesses.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>The real ledger read back through the storage interface: every entry and every blob.</summary>
internal sealed record RealLedger(string WorkspaceId, IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<BlobWrite> Blobs)
{
    public static RealLedger Load(TempWorkspace temp)
    {
        using var store = LedgerStores.Default.OpenReadOnly(temp.LedgerPath);
        var entries = store.ReadRange(1, store.MaxSeq()).ToList();
        var blobs = store.ListBlobs().Select(h => new BlobWrite(h, store.ReadBlob(h)!)).ToList();
        var workspaceId = System.Text.Json.JsonDocument.Parse(entries[0].Payload).RootElement.GetProperty("workspaceId").GetString()!;
        return new RealLedger(workspaceId, entries, blobs);
    }
}
