// One caller's staged append waiting in the ledger's group-commit queue.
namespace OpenThymos.Core.Ledger;

/// <summary>One caller's staged entries (already chained and hashed) and their blobs, waiting for the next store transaction.</summary>
internal sealed record AppendRequest(IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<BlobWrite> Blobs);
