// The closed set of ledger entry kinds and their wire names.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// Entry kind names as they are hashed and stored. Names never change once released, because
/// they are part of every entry hash. What each kind's payload is and means is described once, in
/// <c>EntryKindRegistry</c> (Core/Entries); <c>EntryKindRegistryTests</c> keeps these names and
/// <see cref="All"/> equal to it.
/// </summary>
public static class EntryKind
{
    /// <summary>The first entry: names the workspace, the format version and the workspace public key.</summary>
    public const string Genesis = "genesis";

    /// <summary>A writ was issued to an agent session (payload carries the signed writ).</summary>
    public const string WritIssued = "writ.issued";

    /// <summary>A writ was revoked; its pending proposals are rejected right after.</summary>
    public const string WritRevoked = "writ.revoked";

    /// <summary>A proposal was staged, or a new revision of it (after a rebase or a partial decision).</summary>
    public const string ProposalStaged = "proposal.staged";

    /// <summary>A reviewer (or a policy rule) approved hunks of a proposal, possibly with amendments.</summary>
    public const string Approval = "proposal.approved";

    /// <summary>Hunks, files, a whole proposal, or a refused intent were rejected, with a reason code.</summary>
    public const string Rejection = "proposal.rejected";

    /// <summary>Approved changes were written to the workspace: per file, before and after hashes.</summary>
    public const string Commit = "commit";

    /// <summary>An approved change could not be applied (or an interrupted apply was rolled back).</summary>
    public const string ExecutionFailed = "execution.failed";

    /// <summary>A commit that compensates an earlier commit.</summary>
    public const string Revert = "revert";

    /// <summary>A file changed outside the runtime; the observed content is kept as a blob.</summary>
    public const string ExternalChangeObserved = "external-change.observed";

    /// <summary>The workspace policy file changed; the new policy text is kept as a blob.</summary>
    public const string PolicyChanged = "policy.changed";

    /// <summary>An operator accepted a ledger that is behind its signed head record (restored from an older copy) and went on from it.</summary>
    public const string RollbackAccepted = "ledger.rollback-accepted";

    /// <summary>Every kind this version knows, for verification.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Genesis, WritIssued, WritRevoked, ProposalStaged, Approval, Rejection, Commit, ExecutionFailed, Revert,
        ExternalChangeObserved, PolicyChanged, RollbackAccepted,
    };
}
