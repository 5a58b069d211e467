// Why a proposal revision exists: the reason codes written into proposal-staged entries.
namespace OpenThymos.Core.Runtime;

/// <summary>The <c>revisionReason</c> values of proposal-staged entries (docs/ledger-format.md).</summary>
public static class RevisionReasons
{
    /// <summary>The agent's submission (revision 1).</summary>
    public const string Submitted = "submitted";

    /// <summary>The runtime rebased the pending hunks onto a file that changed in other lines.</summary>
    public const string Rebased = "rebased";

    /// <summary>A reviewer replaced the proposed text of a file (the entry's actor is the reviewer).</summary>
    public const string Amended = "amended";
}
