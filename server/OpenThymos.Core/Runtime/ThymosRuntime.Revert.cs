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
    /// message naming them, rather than force it. The revert follows the same write protocol as an
    /// approval, so a crash during it is recovered the same way.
    /// </summary>
    public DecisionResult Revert(long commitSeq, string actor, string reason)
    {
        return Run(() =>
        {
            var proposalId = RevertProposalPrefix + commitSeq;
            if (!_state.Commits.TryGetValue(commitSeq, out var entry))
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.CommitNotFound,
                    $"Entry {commitSeq} is not a commit or revert, so there is nothing to revert. Pick a commit from the ledger timeline."));
            }

            var files = entry.Kind == EntryKind.Commit
                ? WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).Files
                : WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload).Files;
            var writes = new List<PlannedFileWrite>();
            var records = new List<FileChangeRecord>();
            var blobs = new List<BlobWrite>();
            foreach (var file in files)
            {
                var (write, error) = PlanInverse(commitSeq, file);
                if (error is not null)
                {
                    return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: error);
                }

                if (write is null)
                {
                    continue;
                }

                var current = _applier.StateOnDisk(file.Path);
                if (current.IsNotARegularFile)
                {
                    return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: Conflict(commitSeq, file.Path, $"'{file.Path}' became a symbolic link, a folder or a special file while the revert was planned; OpenThymos never writes through links. Replace it with a regular file, then revert again."));
                }

                var after = write.Content is null ? null : ContentHash.Of(write.Content).ToString();
                records.Add(new FileChangeRecord(file.Path, current.Hash, after, write.Content is null ? null : (int?)(write.Mode ?? _applier.ModeOnDisk(file.Path) ?? (UnixFileMode)DefaultFileMode)));
                writes.Add(write);
                if (write.Content is not null)
                {
                    blobs.Add(BlobWrite.Of(write.Content));
                }

                var currentBytes = _applier.ReadOnDisk(file.Path);
                if (currentBytes is not null)
                {
                    blobs.Add(BlobWrite.Of(currentBytes));
                }
            }

            if (writes.Count == 0)
            {
                return new DecisionResult(DecisionOutcome.Refused, proposalId, 0, Error: new RuntimeError(RuntimeErrorCode.RevertConflict,
                    $"Commit {commitSeq} is already undone: every file it changed is back at its earlier content."));
            }

            var approval = new ApprovalPayload(proposalId, 0, actor, [], [], CurrentPolicyHash, records, string.IsNullOrWhiteSpace(reason) ? $"Revert of commit {commitSeq}." : reason);
            _stepMarks = []; // a revert's steps are not an approval's; ApproveLocked records those
            return CarryOut(proposalId, 0, approval, blobs, writes, approvalSeq =>
                PendingEntry.Of(EntryKind.Revert, actor, new RevertPayload(commitSeq, approvalSeq, actor, approval.Note, approval.PolicyHash, records), LedgerJsonContext.Default.RevertPayload));
        });
    }

    /// <summary>The write that undoes one file's change, null when it is already undone, or a conflict.</summary>
    private (PlannedFileWrite? Write, RuntimeError? Error) PlanInverse(long commitSeq, FileChangeRecord file)
    {
        var disk = _applier.StateOnDisk(file.Path);
        var current = disk.Hash;
        if (disk.Is(file.Before))
        {
            return (null, null);
        }

        if (disk.IsNotARegularFile)
        {
            return (null, Conflict(commitSeq, file.Path, $"'{file.Path}' is now a symbolic link, a folder or a special file (or a folder on its way is a link), not the file commit {commitSeq} left; OpenThymos never writes through links. Replace it with a regular file, then revert again."));
        }

        var beforeBytes = file.Before is null ? null : ReadBlobOrThrow(file.Before);
        if (current == file.After)
        {
            return (new PlannedFileWrite(file.Path, beforeBytes, beforeBytes is null ? null : ModeOf(file)), null);
        }

        // The file changed since the commit: merge the inverse onto the current text, or refuse.
        var later = LaterCommitsTouching(commitSeq, file.Path);
        var laterText = later.Count == 0 ? "by hand (not through OpenThymos)" : "by " + string.Join(", ", later.Select(s => "commit " + s));
        if (file.Before is null || file.After is null || current is null)
        {
            return (null, Conflict(commitSeq, file.Path, $"'{file.Path}' was {(current is null ? "deleted" : "changed")} {laterText} after commit {commitSeq}, and that commit {(file.Before is null ? "created" : "deleted")} it."));
        }

        var afterDocument = TextDocument.TryDecode(ReadBlobOrThrow(file.After));
        var beforeDocument = TextDocument.TryDecode(beforeBytes!);
        // Read once more for the merge; what is read is checked against the hash decided on, so a file an agent's shell
        // swaps or rewrites in between is a conflict, never merged from other bytes.
        var currentBytes = _applier.ReadOnDisk(file.Path);
        if (currentBytes is null || ContentHash.Of(currentBytes).ToString() != current)
        {
            return (null, Conflict(commitSeq, file.Path, $"'{file.Path}' changed while the revert was being planned. Revert again."));
        }

        var currentDocument = TextDocument.TryDecode(currentBytes);
        if (afterDocument is null || beforeDocument is null || currentDocument is null || currentDocument.Encoding != afterDocument.Encoding)
        {
            return (null, Conflict(commitSeq, file.Path, $"'{file.Path}' changed {laterText} after commit {commitSeq} and is not text, so the commit cannot be undone line by line."));
        }

        var inverse = HunkComputer.Compute(afterDocument.Lines, beforeDocument.Lines);
        var merge = ThreeWayMerge.Rebase(afterDocument.Lines, currentDocument.Lines, inverse);
        if (!merge.IsClean)
        {
            var lines = string.Join(", ", merge.Conflicts.Select(c => $"lines {c.Hunk.BaseStart + 1}-{c.Hunk.BaseStart + Math.Max(1, c.Hunk.BaseCount)}"));
            return (null, Conflict(commitSeq, file.Path, $"'{file.Path}' {lines} were changed again {laterText} after commit {commitSeq}. Revert those changes first, or edit the file by hand."));
        }

        var text = HunkApplier.Join(HunkApplier.Apply(currentDocument.Lines, merge.Rebased, currentDocument.DominantLineEnding), currentDocument.DominantLineEnding);
        return (new PlannedFileWrite(file.Path, currentDocument.Encode(text)), null);
    }

    private List<long> LaterCommitsTouching(long commitSeq, string path) => [.. _state.CommitsTouching(path, commitSeq)];

    private UnixFileMode? ModeOf(FileChangeRecord file) => _applier.ModeOnDisk(file.Path) ?? ToMode(file.Mode);

    private static RuntimeError Conflict(long commitSeq, string path, string message) =>
        new(RuntimeErrorCode.RevertConflict, $"Cannot revert commit {commitSeq} in '{path}': {message}");
}
