// The one hook into the runtime: told when an operation reaches a step. Absent in production.
namespace OpenThymos.Core.Runtime;

/// <summary>
/// Told, on the operation's own thread, each time the runtime reaches a <see cref="RuntimeStep"/>. The approve
/// benchmark times an approval's steps and the throughput benchmark the runtime's lock holds with one; tests use one
/// to hold an operation at a step (to show what runs outside the lock). It is passed in through
/// <see cref="RuntimeOptions.Meter"/> and is null in production, where each step costs a null check. Marks made under
/// the runtime's lock (<see cref="RuntimeStep.LockTaken"/> to <see cref="RuntimeStep.LockReleased"/>) must return quickly.
/// </summary>
internal interface IRuntimeMeter
{
    /// <summary>The operation reached <paramref name="step"/>; <paramref name="subject"/> names the proposal it is about (<c>revert:SEQ</c> for a revert), when the step has one.</summary>
    void Mark(RuntimeStep step, string? subject = null);
}

/// <summary>The points of the runtime's operations an <see cref="IRuntimeMeter"/> is told about, in the order an approval reaches them.</summary>
internal enum RuntimeStep
{
    /// <summary>An operation took the runtime's lock.</summary>
    LockTaken,

    /// <summary>The operation under the lock is done (its entries are staged, not yet durable) and the lock is released next.</summary>
    LockReleased,

    /// <summary>An approval (by a reviewer or the policy) starts under the lock.</summary>
    ApprovalStarted,

    /// <summary>The approval's checks passed: the proposal, the selection, the digests, the writ and the policy in force.</summary>
    ApprovalChecked,

    /// <summary>Every target file was read and hashed and still has the content the proposal expects.</summary>
    ApprovalDiskChecked,

    /// <summary>The approval's files are planned (base blobs read, hunks applied, after states hashed) and its entry built.</summary>
    ApprovalPlanned,

    /// <summary>The temp files of an approval or a revert are written (no fsync).</summary>
    FilesStaged,

    /// <summary>The approval entry and its completion are staged in the ledger and folded into the state.</summary>
    EntriesStaged,

    /// <summary>Those entries are durable.</summary>
    EntriesDurable,

    /// <summary>The temp files were renamed over their targets and their fsyncs queued: the change is acknowledged next.</summary>
    FilesPublished,

    /// <summary>One file of an approval or a revert is about to be renamed over its target (subject: its path); tests stop an apply here, as a crash would.</summary>
    FileRenaming,

    /// <summary>One file was renamed over its target (or deleted), by an approval, a revert or recovery (subject: its path).</summary>
    FileRenamed,

    /// <summary>A submission compiled its intent and is about to take the lock (subject: none).</summary>
    SubmissionCompiled,

    /// <summary>The rebase of a proposal whose files changed on disk is being computed, outside the lock (subject: the proposal).</summary>
    RebaseComputing,

    /// <summary>A reviewer's amendment is being computed, outside the lock (subject: the proposal).</summary>
    AmendmentComputing,

    /// <summary>A revert is being planned, outside the lock (subject: <c>revert:SEQ</c>).</summary>
    RevertComputing,
}
