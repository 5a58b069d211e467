// Reverting a commit with a compensating commit, refused when later changes touched the same lines.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Reverts a commit (or a revert) by applying the inverse of its changes to the files as they
    /// are now. Lines changed again since (by later commits or by hand) make the revert refuse with a
    /// message naming them, rather than force it. The inverse and its merge onto the current text are
    /// computed outside the runtime's lock; under it the revert goes on only if every file of the commit
    /// still hashes as it was read (else it is planned again). It follows the same write protocol as an
    /// approval, so a crash during it is recovered the same way.
    /// </summary>
    public DecisionResult Revert(long commitSeq, string actor, string reason)
    {
        var proposalId = RevertProposalPrefix + commitSeq;
        for (var attempt = 1; ; attempt++)
        {
            var (files, laterCommits, refusal) = Run(() => RevertSnapshot(commitSeq, proposalId));
            if (refusal is not null)
            {
                return refusal;
            }

            WhileComputingRevert?.Invoke(proposalId);
            var (plan, error) = PlanRevert(commitSeq, files!, laterCommits!);
            if (error is not null)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: error);
            }

            if (plan!.Writes.Count == 0)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.RevertConflict,
                    $"Commit {commitSeq} is already undone: every file it changed is back at its earlier content."));
            }

            var result = Run(() =>
            {
                if (plan.Observed.Any(observed => !_applier.StateOnDisk(observed.Key).Is(observed.Value)))
                {
                    return null; // a file changed since it was read (by an approval, a revert or a hand): plan again
                }

                var approval = new ApprovalPayload(proposalId, 0, actor, [], [], CurrentPolicyHash, plan.Records, string.IsNullOrWhiteSpace(reason) ? $"Revert of commit {commitSeq}." : reason);
                _stepMarks = []; // a revert's steps are not an approval's; ApproveLocked records those
                return CarryOut(proposalId, 0, approval, plan.Blobs, plan.Writes, approvalSeq =>
                    PendingEntry.Of(EntryKind.Revert, actor, new RevertPayload(commitSeq, approvalSeq, actor, approval.Note, approval.PolicyHash, plan.Records), LedgerJsonContext.Default.RevertPayload));
            });
            if (result is not null)
            {
                return result;
            }

            if (attempt >= AttemptsOutsideTheLock)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.RevertConflict,
                    $"The files of commit {commitSeq} kept changing while its revert was planned; nothing was written. Revert again once they stop changing."));
            }
        }
    }

    /// <summary>Test hook: runs while a revert is planned outside the lock (with its proposal id, <c>revert:SEQ</c>).</summary>
    internal Action<string>? WhileComputingRevert { get; set; }

    /// <summary>Under the lock: the files the commit changed and, per path, the commits that touched it later (for messages).</summary>
    private (IReadOnlyList<FileChangeRecord>? Files, IReadOnlyDictionary<string, IReadOnlyList<long>>? LaterCommits, DecisionResult? Refusal) RevertSnapshot(long commitSeq, string proposalId)
    {
        if (!_state.Commits.TryGetValue(commitSeq, out var entry))
        {
            return (null, null, new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.CommitNotFound,
                $"Entry {commitSeq} is not a commit or revert, so there is nothing to revert. Pick a commit from the ledger timeline.")));
        }

        var files = entry.Kind == EntryKind.Commit
            ? WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).Files
            : WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload).Files;
        var later = files.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToDictionary(path => path, path => _state.CommitsTouching(path, commitSeq), StringComparer.Ordinal);
        return (files, later, null);
    }

    /// <summary>
    /// Outside the lock: the writes that undo the commit, their records and blobs, and the hash each of its files had
    /// when read (null when missing), which the lock checks again before anything is written; or the conflict.
    /// </summary>
    private (RevertPlan? Plan, RuntimeError? Error) PlanRevert(long commitSeq, IReadOnlyList<FileChangeRecord> files, IReadOnlyDictionary<string, IReadOnlyList<long>> laterCommits)
    {
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
            records.Add(new FileChangeRecord(file.Path, current, after, write.Content is null ? null : (int?)(write.Mode ?? _applier.ModeOnDisk(file.Path) ?? (UnixFileMode)DefaultFileMode)));
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
    /// The write that undoes one file's change (null when it is already undone) with the file's hash and bytes as read
    /// now, or a conflict. The bytes are checked against the hash, so a file an agent's shell swaps or rewrites in
    /// between is a conflict or a plan the lock throws away, never a merge from other bytes.
    /// </summary>
    private (PlannedFileWrite? Write, string? Current, byte[]? CurrentBytes, RuntimeError? Error) PlanInverse(long commitSeq, FileChangeRecord file, IReadOnlyList<long> later)
    {
        var disk = _applier.StateOnDisk(file.Path);
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

        var currentBytes = current is null ? null : _applier.ReadOnDisk(file.Path);
        if (current is not null && (currentBytes is null || ContentHash.Of(currentBytes).ToString() != current))
        {
            return (null, current, null, Conflict(commitSeq, file.Path, $"'{file.Path}' changed while the revert was being planned. Revert again."));
        }

        var beforeBytes = file.Before is null ? null : ReadBlobOrThrow(file.Before);
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

        var afterDocument = TextDocument.TryDecode(ReadBlobOrThrow(file.After));
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

    private UnixFileMode? ModeOf(FileChangeRecord file) => _applier.ModeOnDisk(file.Path) ?? ToMode(file.Mode);

    /// <summary>What a revert writes and records, planned from the files as read (<paramref name="Observed"/>: path → hash, null when missing).</summary>
    private sealed record RevertPlan(IReadOnlyList<PlannedFileWrite> Writes, IReadOnlyList<FileChangeRecord> Records, IReadOnlyList<BlobWrite> Blobs, IReadOnlyDictionary<string, string?> Observed);

    private static RuntimeError Conflict(long commitSeq, string path, string message) =>
        new(RuntimeErrorCode.RevertConflict, $"Cannot revert commit {commitSeq} in '{path}': {message}");
}
