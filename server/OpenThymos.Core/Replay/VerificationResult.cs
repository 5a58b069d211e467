// The outcome of verifying a ledger: counts and every problem found.
namespace OpenThymos.Core.Replay;

/// <summary>What verification checked and found. Verification never throws on a corrupt ledger; it reports here.</summary>
/// <param name="EntriesChecked">Entries read and checked.</param>
/// <param name="BlobsChecked">Distinct blobs re-hashed.</param>
/// <param name="HeadSeq">The highest seq seen (0 if none).</param>
/// <param name="HeadHash">The hash of that entry, if any.</param>
/// <param name="AnchorChecked">True when a signed head anchor was found and compared.</param>
/// <param name="Problems">Every problem, in ledger order.</param>
public sealed record VerificationResult(
    long EntriesChecked,
    long BlobsChecked,
    long HeadSeq,
    string? HeadHash,
    bool AnchorChecked,
    IReadOnlyList<VerificationProblem> Problems)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>Progress of a long verification or replay.</summary>
/// <param name="Done">Entries processed so far.</param>
/// <param name="Total">Entries expected in all.</param>
public readonly record struct LedgerProgress(long Done, long Total);
