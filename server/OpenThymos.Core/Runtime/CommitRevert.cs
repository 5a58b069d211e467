// Reverting a commit with a compensating commit, refused when later changes touched the same lines.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The three parts of <see cref="ThymosRuntime.Revert"/>: under the lock, <see cref="Snapshot"/> finds the commit's files
/// and the commits that touched them later; outside it, <see cref="Plan"/> computes the inverse of each change merged onto
/// the file as it is now (or the conflict that refuses it); under it again, <see cref="Record"/> carries the revert out
/// through <see cref="CommitExecution"/> (the same write protocol as an approval) if every file still hashes as read.
/// The retry loop is the façade's.
/// </summary>
internal sealed class CommitRevert(FoldedLedger folded, AtomicApplier applier, PolicyGate policy, CommitExecution execution, IRuntimeMeter? meter)
{
    /// <summary>Under the lock: the files the commit changed and, per path, the commits that touched it later (for messages).</summary>
    public (IReadOnlyList<FileChangeRecord>? Files, IReadOnlyDictionary<string, IReadOnlyList<long>>? LaterCommits, DecisionResult? Refusal) Snapshot(long commitSeq, string proposalId)
    {
        if (!folded.State.Commits.TryGetValue(commitSeq, out var entry))
        {
            return (null, null, new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.CommitNotFound,
                $"Entry {commitSeq} is not a commit or revert, so there is nothing to revert. Pick a commit from the ledger timeline.")));
        }

        var files = entry.Kind == EntryKind.Commit
            ? WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).Files
            : WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload).Files;
        var later = files.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToDictionary(path => path, path => folded.State.CommitsTouching(path, commitSeq), StringComparer.Ordinal);
        return (files, later, null);
    }

    /// <summary>
    /// Outside the lock: the writes that undo the commit, their records and blobs, and the hash each of its files had
    /// when read (null when missing), which the lock checks again before anything is written; or the conflict.
    /// </summary>
    public (RevertPlan? Plan, RuntimeError? Error) Plan(long commitSeq, IReadOnlyList<FileChangeRecord> files, IReadOnlyDictionary<string, IReadOnlyList<long>> laterCommits)
    {
        meter?.Mark(RuntimeStep.RevertComputing, ThymosRuntime.RevertProposalPrefix + commitSeq);
        var writes = new List<PlannedFileWrite>();
        var records = new List<FileChangeRecord>();
        var blobs = new List<BlobWrite>();
        var observed = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var (write, current, currentBytes, error) = PlanInverse(commitSeq, file, laterCommits[file.Path]);
            if (error is not null)
            {
                return (null, error);
            }

            observed[file.Path] = current;
            if (write is null)
            {
                continue;
            }

            var after = write.Content is null ? null : ContentHash.Of(write.Content).ToString();
            records.Add(new FileChangeRecord(file.Path, current, after, write.Content is null ? null : (int?)(write.Mode ?? applier.ModeOnDisk(file.Path) ?? (UnixFileMode)CommitExecution.DefaultFileMode)));
            writes.Add(write);
            if (write.Content is not null)
            {
                blobs.Add(BlobWrite.Of(write.Content));
            }

            // The content being replaced is kept, so the revert itself can be reverted.
            if (currentBytes is not null)
            {
                blobs.Add(BlobWrite.Of(currentBytes));
            }
        }

        return (new RevertPlan(writes, records, blobs, observed), null);
    }

    /// <summary>
    /// Under the lock: carries the revert out, or returns null when a file changed since <paramref name="plan"/> read it
    /// (by an approval, a revert or a hand): the caller plans again.
    /// </summary>
    public DecisionResult? Record(long commitSeq, string proposalId, string actor, string reason, RevertPlan plan)
    {
        if (plan.Observed.Any(observed => !applier.StateOnDisk(observed.Key).Is(observed.Value)))
        {
            return null; // a file changed since it was read (by an approval, a revert or a hand): plan again
        }

        var approval = new ApprovalPayload(proposalId, 0, actor, [], [], policy.CurrentHash, plan.Records, string.IsNullOrWhiteSpace(reason) ? $"Revert of commit {commitSeq}." : reason);
        return execution.CarryOut(proposalId, 0, approval, plan.Blobs, plan.Writes, approvalSeq =>
            PendingEntry.Of(EntryKind.Revert, actor, new RevertPayload(commitSeq, approvalSeq, actor, approval.Note, approval.PolicyHash, plan.Records), LedgerJsonContext.Default.RevertPayload));
    }

    /// <summary>
    /// The write that undoes one file's change (null when it is already undone) with the file's hash and bytes as read
    /// now, or a conflict. The bytes are checked against the hash, so a file an agent's shell swaps or rewrites in
    /// between is a conflict or a plan the lock throws away, never a merge from other bytes.
    /// </summary>
    private (PlannedFileWrite? Write, string? Current, byte[]? CurrentBytes, RuntimeError? Error) PlanInverse(long commitSeq, FileChangeRecord file, IReadOnlyList<long> later)
    {
        var disk = applier.StateOnDisk(file.Path);
        var current = disk.Hash;
        if (disk.Is(file.Before))
        {
            return (null, current, null, null);
        }

        if (disk.IsTooLarge)
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' is now larger than the {FileSystem.WorkspaceDirectory.MaxFileBytes >> 20} MiB OpenThymos reads, so commit {commitSeq} cannot be undone there. Edit the file by hand."));
        }

        if (disk.IsNotARegularFile)
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' is now a symbolic link, a folder or a special file (or a folder on its way is a link), not the file commit {commitSeq} left; OpenThymos never writes through links. Replace it with a regular file, then revert again."));
        }

        var currentBytes = current is null ? null : applier.ReadOnDisk(file.Path);
        if (current is not null && (currentBytes is null || ContentHash.Of(currentBytes).ToString() != current))
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' changed while the revert was being planned. Revert again."));
        }

        var beforeBytes = file.Before is null ? null : folded.ReadBlobOrThrow(file.Before);
        if (current == file.After)
        {
            return (new PlannedFileWrite(file.Path, beforeBytes, beforeBytes is null ? null : ModeOf(file)), current, currentBytes, null);
        }

        // The file changed since the commit: merge the inverse onto the current text, or refuse.
        var laterText = later.Count == 0 ? "by hand (not through OpenThymos)" : "by " + string.Join(", ", later.Select(s => "commit " + s));
        if (file.Before is null || file.After is null || current is null)
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' was {(current is null ? "deleted" : "changed")} {laterText} after commit {commitSeq}, and that commit {(file.Before is null ? "created" : "deleted")} it."));
        }

        var afterDocument = TextDocument.TryDecode(folded.ReadBlobOrThrow(file.After));
        var beforeDocument = TextDocument.TryDecode(beforeBytes!);
        var currentDocument = TextDocument.TryDecode(currentBytes!);
        if (afterDocument is null || beforeDocument is null || currentDocument is null || currentDocument.Encoding != afterDocument.Encoding)
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' changed {laterText} after commit {commitSeq} and is not text, so the commit cannot be undone line by line."));
        }

        var inverse = HunkComputer.Compute(afterDocument.Lines, beforeDocument.Lines);
        var merge = ThreeWayMerge.Rebase(afterDocument.Lines, currentDocument.Lines, inverse);
        if (!merge.IsClean)
        {
            var lines = string.Join(", ", merge.Conflicts.Select(c => $"lines {c.Hunk.BaseStart + 1}-{c.Hunk.BaseStart + Math.Max(1, c.Hunk.BaseCount)}"));
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' {lines} were changed again {laterText} after commit {commitSeq}. Revert those changes first, or edit the file by hand."));
        }

        var text = HunkApplier.Join(HunkApplier.Apply(currentDocument.Lines, merge.Rebased, currentDocument.DominantLineEnding), currentDocument.DominantLineEnding);
        return (new PlannedFileWrite(file.Path, currentDocument.Encode(text)), current, currentBytes, null);
    }

    private UnixFileMode? ModeOf(FileChangeRecord file) => applier.ModeOnDisk(file.Path) ?? CommitExecution.ToMode(file.Mode);

    private static RuntimeError Conflict(long commitSeq, string path, string message) =>
        new(RuntimeErrorCode.RevertConflict, $"Cannot revert commit {commitSeq} in '{path}': {message}");
}

/// <summary>What a revert writes and records, planned from the files as read (<paramref name="Observed"/>: path → hash, null when missing).</summary>
internal sealed record RevertPlan(IReadOnlyList<PlannedFileWrite> Writes, IReadOnlyList<FileChangeRecord> Records, IReadOnlyList<BlobWrite> Blobs, IReadOnlyDictionary<string, string?> Observed);
