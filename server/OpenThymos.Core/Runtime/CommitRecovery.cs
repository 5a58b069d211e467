// Crash recovery at open: approvals whose commit was not recorded are finished or rolled back; commits after the applied-through mark are redone.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// What <see cref="ThymosRuntime.Open"/> does, under the lock and before anyone sees the runtime, so that a crash at any
/// instant loses no approved work and leaves no half-written file: <see cref="RecoverInterruptedApplies"/> for ledgers
/// of the older protocol, then <see cref="RedoCommitsAfterMark"/> for the redo log of <see cref="CommitExecution"/>.
/// </summary>
internal sealed class CommitRecovery(FoldedLedger folded, AtomicApplier applier, DeferredFileSync fileSync, CommitExecution execution)
{
    /// <summary>
    /// Ledgers written before the redo-log protocol (see <see cref="CommitExecution.CarryOut"/>) used: approval entry (durable)
    /// → atomic file writes → commit entry (durable); the current protocol writes the approval and its
    /// commit in one transaction, so it never leaves an approval alone. For those older ledgers, every
    /// approval without a commit or a failure is examined at open. Each file is either at its before or its after state (renames are atomic).
    /// If every file is at one of the two, the approval is finished (roll forward) and the commit is
    /// recorded with <c>recovered: true</c>: approved work is not lost. If any file is at a third state
    /// (someone edited it after the crash), the files that reached their after state are put back and
    /// an execution failure is recorded, because a human's newer edit must not be overwritten.
    /// </summary>
    public void RecoverInterruptedApplies()
    {
        applier.CleanStaging();
        foreach (var (approvalSeq, approval) in folded.State.InFlightApprovals.OrderBy(a => a.Key).ToList())
        {
            var states = approval.Files.Select(f => (File: f, Disk: applier.StateOnDisk(f.Path))).ToList();
            var foreign = states.Where(s => !s.Disk.Is(s.File.Before) && !s.Disk.Is(s.File.After)).ToList();
            if (foreign.Count == 0)
            {
                var writes = states.Where(s => !s.Disk.Is(s.File.After))
                    .Select(s => new PlannedFileWrite(s.File.Path, s.File.After is null ? null : folded.ReadBlobOrThrow(s.File.After), CommitExecution.ToMode(s.File.Mode)))
                    .ToList();
                applier.Apply(writes);
                RecordCompletion(approvalSeq, approval);
                continue;
            }

            execution.RollBack(approval.Files);
            var names = string.Join(", ", foreign.Select(s => "'" + s.File.Path + "'"));
            var reason = $"An apply interrupted by a crash could not be finished because {names} changed afterwards; the other files were put back to their before state. Review the file and propose again.";
            var revision = folded.State.Proposals.TryGetValue(approval.ProposalId, out var proposal) ? proposal.Revision : 0;
            var failure = new ExecutionFailedPayload(approval.ProposalId, revision, approvalSeq, "interrupted-apply-conflict", reason);
            folded.Append([PendingEntry.Of(EntryKind.ExecutionFailed, "runtime", failure, LedgerJsonContext.Default.ExecutionFailedPayload)]);
        }
    }

    /// <summary>
    /// Finishes the redo-log protocol after a crash and returns how many files it rewrote. Every commit and revert after the applied-through
    /// mark is durable in the ledger, but its files may not be: the process may have died before or
    /// between the renames, or the machine may have lost power before the background fsync. Per path,
    /// the newest such change decides what the file must hold:
    /// <list type="bullet">
    /// <item>at the after state: fsync it (a process killed after the rename left it in the page cache only);</item>
    /// <item>at a state the changes after the mark went through (a before state), absent where the change created it, or torn
    /// (empty, a prefix of the after state, or the after state with zeroed bytes — what a power loss can leave of a rename
    /// whose data was not yet flushed): rewrite it atomically and durably from the ledger's blob;</item>
    /// <item>anything else is a third state: someone changed the file after the commit. Record
    /// <c>external-change.observed</c> (once) and leave the file alone, never overwriting a user's work silently.</item>
    /// </list>
    /// Then the mark moves to the head. A workspace without a mark was written by the older protocol,
    /// which made every file durable before its commit, so its mark starts at the head.
    /// SIGKILL: everything the process wrote or renamed survives in the page cache, so a commit after the mark has
    /// each file at its before or after state (renames are atomic) and is completed. Power loss: the ledger
    /// transaction is on stable storage (its fsync preceded any rename), but a rename or a file's data may be
    /// lost; the file is then at its before state, absent, or torn, and is redone.
    /// </summary>
    public int RedoCommitsAfterMark()
    {
        var ledger = folded.Ledger;
        var head = ledger.StagedSeq;
        var mark = fileSync.ReadMark();
        if (mark is null || mark >= head)
        {
            // A mark beyond the head means the ledger was replaced by an older copy: later commits will reuse
            // those seqs, so the mark must come back to the head or it would vouch for them unsynced.
            fileSync.WriteMark(head);
            return 0;
        }

        var latest = new Dictionary<string, (FileChangeRecord File, string ProposalId, HashSet<string?> Earlier)>(StringComparer.Ordinal);
        foreach (var entry in ledger.Read(mark.Value + 1, long.MaxValue))
        {
            IReadOnlyList<FileChangeRecord> files;
            string proposalId;
            if (entry.Kind == EntryKind.Commit)
            {
                var commit = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload);
                (files, proposalId) = (commit.Files, commit.ProposalId);
            }
            else if (entry.Kind == EntryKind.Revert)
            {
                var revert = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload);
                (files, proposalId) = (revert.Files, ThymosRuntime.RevertProposalPrefix + revert.Reverts);
            }
            else
            {
                continue;
            }

            foreach (var file in files)
            {
                var earlier = latest.TryGetValue(file.Path, out var previous) ? previous.Earlier : [];
                if (previous.File is not null)
                {
                    earlier.Add(previous.File.After);
                }

                earlier.Add(file.Before);
                latest[file.Path] = (file, proposalId, earlier);
            }
        }

        var redo = new List<PlannedFileWrite>();
        var inPlace = new List<string>();
        var directories = new HashSet<string>(StringComparer.Ordinal);
        var observations = new List<PendingEntry>();
        var observedBlobs = new List<BlobWrite>();
        foreach (var (path, (file, proposalId, earlier)) in latest)
        {
            var disk = applier.StateOnDisk(path);
            var slash = path.LastIndexOf('/');
            directories.Add(slash < 0 ? "" : path[..slash]);
            if (disk.Is(file.After))
            {
                inPlace.Add(path);
                continue;
            }

            var afterBytes = file.After is null ? null : folded.ReadBlobOrThrow(file.After);
            if (earlier.Any(disk.Is) || (!disk.IsTooLarge && IsTorn(applier.ReadOnDisk(path), afterBytes)))
            {
                redo.Add(new PlannedFileWrite(path, afterBytes, CommitExecution.ToMode(file.Mode)));
                continue;
            }

            if (folded.State.LastKnown.TryGetValue(path, out var known) && disk.Is(known))
            {
                continue;
            }

            // A file over the size limit is recorded by its hash alone (streamed), never kept as a blob.
            var bytes = disk.IsTooLarge ? null : applier.ReadOnDisk(path);
            if (bytes is not null)
            {
                observedBlobs.Add(BlobWrite.Of(bytes));
            }

            var observedHash = disk.IsTooLarge ? applier.HashOnDiskWithoutLimit(path) : bytes is null ? null : ContentHash.Of(bytes).ToString();
            observations.Add(PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime",
                new ExternalChangeObservedPayload(path, file.After, observedHash, proposalId),
                LedgerJsonContext.Default.ExternalChangeObservedPayload));
        }

        applier.SyncFiles(inPlace, directories);
        applier.Apply(redo);
        if (observations.Count > 0)
        {
            folded.Append(observations, observedBlobs);
            ledger.WaitUntilDurable(ledger.StagedSeq);
        }

        fileSync.WriteMark(head);
        return redo.Count;
    }

    /// <summary>
    /// What a power loss can leave of a file renamed before its data was flushed: nothing, a prefix, or
    /// blocks not yet written (zeros). Only these are overwritten without asking; anything else is a third state.
    /// </summary>
    private static bool IsTorn(byte[]? onDisk, byte[]? after)
    {
        if (onDisk is null || after is null || onDisk.Length > after.Length)
        {
            return false;
        }

        for (var index = 0; index < onDisk.Length; index++)
        {
            if (onDisk[index] != after[index] && onDisk[index] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void RecordCompletion(long approvalSeq, ApprovalPayload approval)
    {
        if (approval.ProposalId.StartsWith(ThymosRuntime.RevertProposalPrefix, StringComparison.Ordinal))
        {
            var reverts = long.Parse(approval.ProposalId[ThymosRuntime.RevertProposalPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
            var revert = new RevertPayload(reverts, approvalSeq, approval.Approver, approval.Note, approval.PolicyHash, approval.Files);
            folded.Append([PendingEntry.Of(EntryKind.Revert, approval.Approver, revert, LedgerJsonContext.Default.RevertPayload)]);
            return;
        }

        var proposal = folded.State.Proposals.GetValueOrDefault(approval.ProposalId);
        var commit = new CommitPayload(approval.ProposalId, approval.Revision, proposal?.Staged.WritId ?? "", proposal?.Staged.Agent ?? "",
            approval.Approver, approvalSeq, approval.PolicyHash, approval.Hunks, approval.Files, Recovered: true);
        folded.Append([PendingEntry.Of(EntryKind.Commit, approval.Approver, commit, LedgerJsonContext.Default.CommitPayload)]);
    }
}
