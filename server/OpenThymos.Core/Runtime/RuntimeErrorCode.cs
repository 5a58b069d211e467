// Stable codes for every refusal and failure the runtime reports; clients branch on these, never on text.
namespace OpenThymos.Core.Runtime;

/// <summary>Why the runtime refused or could not do something. Values never change once released.</summary>
public enum RuntimeErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The intent is malformed (no files, two content forms, missing base hash…).</summary>
    IntentInvalid = 100,

    /// <summary>A path is not a normalized workspace path, leaves the workspace, or is a link or device.</summary>
    PathRefused = 101,

    /// <summary>The file changed since the agent read it (the base hash differs).</summary>
    StaleBase = 102,

    /// <summary>A search/replace block or a diff hunk does not apply to the base.</summary>
    EditDoesNotApply = 103,

    /// <summary>A create names an existing file, or a modify/delete/rename a missing one.</summary>
    FileStateMismatch = 104,

    /// <summary>The proposal is too large to record: an entry it needs would exceed the ledger's per-entry cap (docs/ledger-format.md).</summary>
    ProposalTooLarge = 105,

    /// <summary>The writ does not allow this path, effect, budget or time.</summary>
    WritRefused = 110,

    /// <summary>The writ was revoked.</summary>
    WritRevoked = 111,

    /// <summary>The writ token does not verify or names an unknown writ.</summary>
    WritUnknown = 112,

    /// <summary>A nonce was reused for a different intent.</summary>
    ReplayedNonce = 113,

    /// <summary>The policy denies the change.</summary>
    PolicyDenied = 120,

    /// <summary>The workspace policy file is invalid.</summary>
    PolicyInvalid = 121,

    /// <summary>The policy file on disk is not the text the reviewer adopted (it changed since they saw it, or it already governs).</summary>
    PolicyNotAsReviewed = 122,

    /// <summary>No such proposal.</summary>
    ProposalNotFound = 130,

    /// <summary>The decision names an older revision; review the current one.</summary>
    RevisionMismatch = 131,

    /// <summary>The proposal is no longer pending (decided, stale or failed).</summary>
    ProposalNotPending = 132,

    /// <summary>A named hunk or file is not part of the proposal, or is already decided.</summary>
    SelectionInvalid = 133,

    /// <summary>
    /// A hunk the decision names no longer has the content digest the reviewer saw, or a hunk being decided was not among
    /// those the reviewer saw; reload the proposal and review it again.
    /// </summary>
    ReviewOutdated = 134,

    /// <summary>Applying the change to disk failed; nothing was changed.</summary>
    ExecutionFailed = 140,

    /// <summary>A revert cannot be applied because later changes touched the same lines.</summary>
    RevertConflict = 150,

    /// <summary>No commit with that seq.</summary>
    CommitNotFound = 151,

    /// <summary>The ledger could not record the operation (its transaction was rolled back): nothing of it was recorded, and the ledger stays writable; try again.</summary>
    LedgerWriteFailed = 160,
}
