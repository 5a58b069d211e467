// The refusal to append to a ledger that is behind its signed head anchor or witness.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// The ledger opened for writing does not reach the head its signed anchor (key folder) or witness (state folder)
/// recorded, or has another entry at that seq: it was restored from an older copy or cut. Appending to it would make
/// the loss look like an honest history, so nothing is appended until an operator accepts the rollback explicitly.
/// </summary>
public sealed class LedgerRolledBackException : IOException
{
    /// <summary>Creates the refusal.</summary>
    public LedgerRolledBackException(string message, string ledgerPath, long headSeq, string headHash, long recordedSeq, string recordedHash, string recordedIn)
        : base(message)
    {
        LedgerPath = ledgerPath;
        HeadSeq = headSeq;
        HeadHash = headHash;
        RecordedSeq = recordedSeq;
        RecordedHash = recordedHash;
        RecordedIn = recordedIn;
    }

    /// <summary>The ledger file.</summary>
    public string LedgerPath { get; }

    /// <summary>The ledger's head seq.</summary>
    public long HeadSeq { get; }

    /// <summary>The ledger's head hash.</summary>
    public string HeadHash { get; }

    /// <summary>The seq the anchor or witness recorded.</summary>
    public long RecordedSeq { get; }

    /// <summary>The hash the anchor or witness recorded.</summary>
    public string RecordedHash { get; }

    /// <summary>The anchor or witness file.</summary>
    public string RecordedIn { get; }

    /// <summary>
    /// The shell command that accepts the rollback (<c>thymos accept-restored</c> for this folder and key folder), as
    /// the message names it; empty when the refusal was made without one.
    /// </summary>
    public string AcceptCommand { get; init; } = "";
}
