// Crash recovery: approvals whose commit was not recorded are finished or rolled back at open.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>The proposal-id prefix of the approval entry that a revert writes before touching files.</summary>
    public const string RevertProposalPrefix = "revert:";

    /// <summary>
    /// The write protocol is: approval entry (durable) → atomic file writes → commit entry (durable).
    /// A crash can stop it between any two steps, so at open every approval without a commit or a
    /// failure is examined. Each file is either at its before or its after state (renames are atomic).
    /// If every file is at one of the two, the approval is finished (roll forward) and the commit is
    /// recorded with <c>recovered: true</c>: approved work is not lost. If any file is at a third state
    /// (someone edited it after the crash), the files that reached their after state are put back and
    /// an execution failure is recorded, because a human's newer edit must not be overwritten.
    /// </summary>
    private void RecoverInterruptedApplies()
    {
        _applier.CleanStaging();
        foreach (var (approvalSeq, approval) in _state.InFlightApprovals.OrderBy(a => a.Key).ToList())
        {
            var states = approval.Files.Select(f => (File: f, Disk: _applier.HashOnDisk(f.Path))).ToList();
            var foreign = states.Where(s => s.Disk != s.File.Before && s.Disk != s.File.After).ToList();
            if (foreign.Count == 0)
            {
                var writes = states.Where(s => s.Disk != s.File.After)
                    .Select(s => new PlannedFileWrite(s.File.Path, s.File.After is null ? null : ReadBlobOrThrow(s.File.After), ToMode(s.File.Mode)))
                    .ToList();
                _applier.Apply(writes);
                RecordCompletion(approvalSeq, approval);
                continue;
            }

            RollBack(approval.Files);
            var names = string.Join(", ", foreign.Select(s => "'" + s.File.Path + "'"));
            var reason = $"An apply interrupted by a crash could not be finished because {names} changed afterwards; the other files were put back to their before state. Review the file and propose again.";
            var revision = _state.Proposals.TryGetValue(approval.ProposalId, out var proposal) ? proposal.Revision : 0;
            var failure = new ExecutionFailedPayload(approval.ProposalId, revision, approvalSeq, "interrupted-apply-conflict", reason);
            Append([PendingEntry.Of(EntryKind.ExecutionFailed, "runtime", failure, LedgerJsonContext.Default.ExecutionFailedPayload)]);
        }
    }

    private void RecordCompletion(long approvalSeq, ApprovalPayload approval)
    {
        if (approval.ProposalId.StartsWith(RevertProposalPrefix, StringComparison.Ordinal))
        {
            var reverts = long.Parse(approval.ProposalId[RevertProposalPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
            var revert = new RevertPayload(reverts, approvalSeq, approval.Approver, approval.Note, approval.PolicyHash, approval.Files);
            Append([PendingEntry.Of(EntryKind.Revert, approval.Approver, revert, LedgerJsonContext.Default.RevertPayload)]);
            return;
        }

        var proposal = _state.Proposals.GetValueOrDefault(approval.ProposalId);
        var commit = new CommitPayload(approval.ProposalId, approval.Revision, proposal?.Staged.WritId ?? "", proposal?.Staged.Agent ?? "",
            approval.Approver, approvalSeq, approval.PolicyHash, approval.Hunks, approval.Files, Recovered: true);
        Append([PendingEntry.Of(EntryKind.Commit, approval.Approver, commit, LedgerJsonContext.Default.CommitPayload)]);
    }

    private byte[] ReadBlobOrThrow(string hash) =>
        _ledger.ReadBlob(ContentHash.Parse(hash))
            ?? throw new InvalidDataException($"The ledger lacks blob {hash[..12]} needed to finish an interrupted apply. Run verify; restore the ledger from a backup if blobs are missing.");
}
