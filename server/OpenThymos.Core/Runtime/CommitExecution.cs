// The write protocol of an approval or a revert: temp files, one durable ledger transaction, renames, background fsyncs.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Carries out a decided change, treating the ledger as a redo log (see <see cref="CarryOut"/>), and compensates a
/// change whose renames failed after its commit was durable. The only way the runtime writes workspace files
/// (through <see cref="AtomicApplier"/>) besides recovery at open (<see cref="CommitRecovery"/>). Used under the lock.
/// </summary>
internal sealed class CommitExecution(FoldedLedger folded, AtomicApplier applier, DeferredFileSync fileSync, IRuntimeMeter? meter)
{
    /// <summary>The mode recorded for a file written without one on disk (rw-r--r--).</summary>
    public const int DefaultFileMode = 0b110_100_100;

    /// <summary>A recorded mode as the applier takes it.</summary>
    public static UnixFileMode? ToMode(int? mode) => mode is null ? null : (UnixFileMode)mode.Value;

    /// <summary>
    /// The write protocol of an approval (and of a revert), treating the ledger as a redo log:
    /// <list type="number">
    /// <item>write each file's new version to a temp file (no fsync) — a failure here records the approval with an execution failure, and nothing in the workspace changed;</item>
    /// <item>stage the approval and its completion (commit or revert) as ONE ledger transaction and wait until it is durable (one fsync) —
    /// the approval carries the after-state blobs, so from here on the change can always be redone;</item>
    /// <item>rename the temp files over their targets (atomic, no fsync) and acknowledge;</item>
    /// <item>in the background, fsync the files and their directories in batches and then advance the
    /// applied-through mark (<see cref="DeferredFileSync"/>).</item>
    /// </list>
    /// A crash before step 2 is durable leaves no entry and no changed file (temp files are swept at open).
    /// After it, recovery at open redoes, from the ledger's blobs, every commit after the mark whose
    /// files are not at their after state (see <see cref="CommitRecovery.RedoCommitsAfterMark"/>). A rename that fails with
    /// an I/O error after the commit is durable is compensated: files put back, a revert entry recorded.
    /// </summary>
    public DecisionResult CarryOut(string proposalId, int revision, ApprovalPayload approval, IReadOnlyList<BlobWrite> blobs, IReadOnlyList<PlannedFileWrite> writes, Func<long, PendingEntry> completion)
    {
        var approvalEntry = PendingEntry.Of(EntryKind.Approval, approval.Approver, approval, LedgerJsonContext.Default.ApprovalPayload);
        StagedApply staged;
        try
        {
            // No path string is checked again here: Stage resolves each target beneath the workspace's descriptor without
            // following links (a folder swapped for a link since the compile is refused there, and again by the rename).
            staged = applier.Stage(writes);
            meter?.Mark(RuntimeStep.FilesStaged, proposalId);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var message = $"Applying {Describe(proposalId)} failed: {exception.Message} The files were left as they were; fix the cause and {(IsRevert(proposalId) ? "try the revert again" : "ask the agent to propose again")}.";
            folded.Append(approvalSeq => [approvalEntry, PendingEntry.Of(EntryKind.ExecutionFailed, "runtime",
                new ExecutionFailedPayload(proposalId, revision, approvalSeq, "io-error", message), LedgerJsonContext.Default.ExecutionFailedPayload)], blobs);
            return new DecisionResult(DecisionOutcome.Failed, proposalId, revision, Error: new RuntimeError(RuntimeErrorCode.ExecutionFailed, message));
        }

        IReadOnlyList<LedgerEntry> entries;
        try
        {
            entries = folded.Append(approvalSeq => [approvalEntry, completion(approvalSeq)], blobs);
            meter?.Mark(RuntimeStep.EntriesStaged, proposalId);

            // Inside the lock on purpose: no file may change before the entry that can redo it is durable,
            // and the next decision must see the files as this one leaves them.
            folded.Ledger.WaitUntilDurable(entries[^1].Seq);
            meter?.Mark(RuntimeStep.EntriesDurable, proposalId);
        }
        catch
        {
            applier.Discard(staged);
            throw;
        }

        var done = entries[^1];
        try
        {
            var (files, directories) = applier.Publish(staged);
            fileSync.Enqueue(done.Seq, files, directories);
            meter?.Mark(RuntimeStep.FilesPublished, proposalId);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Compensate(proposalId, revision, approval, entries[0].Seq, done.Seq, exception);
        }
        catch
        {
            // Some files may not be in place; keep the mark before this commit so the next open redoes it.
            fileSync.Halt();
            throw;
        }

        return new DecisionResult(DecisionOutcome.Committed, proposalId, revision, done.Seq);
    }

    /// <summary>Puts every file that reached its after state back to its before state (best effort, bytes from blobs).</summary>
    public void RollBack(IReadOnlyList<FileChangeRecord> files)
    {
        var restores = new List<PlannedFileWrite>();
        foreach (var file in files)
        {
            if (applier.StateOnDisk(file.Path).Is(file.After) && file.After != file.Before)
            {
                var before = file.Before is null ? null : folded.Ledger.ReadBlob(ContentHash.Parse(file.Before));
                restores.Add(new PlannedFileWrite(file.Path, before, ToMode(file.Mode)));
            }
        }

        if (restores.Count > 0)
        {
            applier.Apply(restores);
        }
    }

    /// <summary>A rename failed after the commit was durable: put the files back and record a revert of the commit by the runtime.</summary>
    private DecisionResult Compensate(string proposalId, int revision, ApprovalPayload approval, long approvalSeq, long doneSeq, Exception exception)
    {
        try
        {
            RollBack(approval.Files);
        }
        catch
        {
            fileSync.Halt();
            throw;
        }

        var message = $"Applying {Describe(proposalId)} failed while moving the files into place: {exception.Message} "
            + $"The files were put back and entry {doneSeq} was reverted by the runtime; fix the cause and {(IsRevert(proposalId) ? "try the revert again" : "ask the agent to propose again")}.";
        var inverse = approval.Files
            .Select(f => new FileChangeRecord(f.Path, f.After, f.Before, f.Before is null ? null : (int?)(applier.ModeOnDisk(f.Path) ?? (UnixFileMode)DefaultFileMode)))
            .ToList();
        folded.Append([PendingEntry.Of(EntryKind.Revert, "runtime", new RevertPayload(doneSeq, approvalSeq, "runtime", message, approval.PolicyHash, inverse), LedgerJsonContext.Default.RevertPayload)]);
        return new DecisionResult(DecisionOutcome.Failed, proposalId, revision, Error: new RuntimeError(RuntimeErrorCode.ExecutionFailed, message));
    }

    private static bool IsRevert(string proposalId) => proposalId.StartsWith(ThymosRuntime.RevertProposalPrefix, StringComparison.Ordinal);

    private static string Describe(string proposalId) => IsRevert(proposalId) ? "the revert of commit " + proposalId[ThymosRuntime.RevertProposalPrefix.Length..] : "proposal " + proposalId;
}
