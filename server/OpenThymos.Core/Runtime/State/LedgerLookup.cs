// How the folded state reads entries back from the ledger when it keeps only an index of them.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Read access to the ledger the state was folded from, so a long ledger's state can keep decided
/// proposals and commits as seqs and read them back on demand instead of holding every one in memory.
/// </summary>
/// <param name="Read">The entry with a seq, or null.</param>
/// <param name="ReadRange">The entries from one seq to another, inclusive, in seq order.</param>
public sealed record LedgerLookup(Func<long, LedgerEntry?> Read, Func<long, long, IEnumerable<LedgerEntry>> ReadRange)
{
    /// <summary>Reads a blob (staged or stored) by hash, or null; format-2 <c>proposal.staged</c> payloads keep their hunks in blobs.</summary>
    public Func<ContentHash, byte[]?>? ReadBlob { get; init; }

    /// <summary>Reads from a workspace ledger (blobs still waiting for their transaction included).</summary>
    public static LedgerLookup Of(WorkspaceLedger ledger) =>
        new(seq => ledger.Read(seq), (fromSeq, toSeq) => ledger.Read(fromSeq, toSeq)) { ReadBlob = ledger.ReadBlob };
}
