// Deciding proposals under the lock: approve (plan each file's after state, then carry it out) or reject, per proposal, file or hunk.
using System.Text;
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The approval and the rejection of hunks of a proposal, under the runtime's lock. An approval checks what every
/// decision checks (<see cref="DecisionChecks"/>), that its amendments are part of what it approves, that the writ still
/// holds and the policy in force still allows it, and that each file still has the content the proposal expects; then it
/// plans each file's after state and hands the writes to <see cref="CommitExecution"/>. When the files changed on disk it
/// decides nothing and returns a snapshot for the façade to rebase outside the lock.
/// </summary>
internal sealed class ProposalDecisions(
    FoldedLedger folded,
    DecisionChecks checks,
    WritGate writs,
    PolicyGate policy,
    ProposalFiles proposalFiles,
    CommitExecution execution,
    AtomicApplier applier,
    IRuntimeMeter? meter)
{
    /// <summary>Rejects hunks of a proposal; the rejection and its reason are ledgered.</summary>
    public DecisionResult Reject(RejectRequest request)
    {
        var (proposal, keys, refusal) = checks.FindDecidable(request.ProposalId, request.Revision, request.Selection, request.HunkDigests, "reject");
        if (refusal is not null)
        {
            return refusal;
        }

        var payload = new RejectionPayload(proposal!.Id, proposal.Revision, keys, RejectionReason.Reviewer,
            string.IsNullOrWhiteSpace(request.Reason) ? "Rejected by the reviewer." : request.Reason,
            proposal.Staged.Agent, proposal.Staged.WritId, [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], policy.CurrentHash);
        folded.Append([PendingEntry.Of(EntryKind.Rejection, request.Actor, payload, LedgerJsonContext.Default.RejectionPayload)]);
        return new DecisionResult(DecisionOutcome.Rejected, proposal.Id, proposal.Revision);
    }

    /// <summary>
    /// The approval under the lock. When the files changed on disk nothing is decided: <paramref name="changedUnderneath"/>
    /// is a snapshot of the proposal for the caller to rebase outside the lock, and the result is the refusal to give if
    /// that rebase cannot be recorded.
    /// </summary>
    public DecisionResult Approve(ApproveRequest request, out ChangedProposal? changedUnderneath)
    {
        changedUnderneath = null;
        meter?.Mark(RuntimeStep.ApprovalStarted, request.ProposalId);
        var (proposal, keys, refusal) = checks.FindDecidable(request.ProposalId, request.Revision, request.Selection, request.HunkDigests, "approve");
        if (refusal is not null)
        {
            return refusal;
        }

        var amendments = request.Amendments ?? [];
        foreach (var amendment in amendments)
        {
            var covered = amendment.HunkId is null
                ? keys.Any(k => HunkKey.Split(k).Path == amendment.Path)
                : keys.Contains(HunkKey.Of(amendment.Path, amendment.HunkId));
            if (!covered)
            {
                return DecisionChecks.Refused(proposal!.Id, proposal, new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                    $"The amendment for '{amendment.Path}'{(amendment.HunkId is null ? "" : "#" + amendment.HunkId)} is not part of what is being approved. Include it in the selection."));
            }
        }

        // The writ must still hold at the time of the effect: not revoked, not expired.
        if (folded.State.Writs.TryGetValue(proposal!.Staged.WritId, out var writ))
        {
            var writError = writs.CheckUsable(writ);
            if (writError is not null)
            {
                RejectAllPending(proposal, writError.Code == RuntimeErrorCode.WritRevoked ? RejectionReason.WritRevoked : RejectionReason.WritExpired, writError.Message);
                return new DecisionResult(DecisionOutcome.Refused, proposal.Id, proposal.Revision, Error: writError);
            }
        }

        var denied = policy.DeniedNow(proposal, keys);
        if (denied is not null)
        {
            RejectAllPending(proposal, RejectionReason.PolicyDenied, denied.Message);
            return new DecisionResult(DecisionOutcome.Refused, proposal.Id, proposal.Revision, Error: denied);
        }

        meter?.Mark(RuntimeStep.ApprovalChecked, proposal.Id);
        var affected = keys.Select(k => HunkKey.Split(k).Path).Distinct().ToList();
        var (changedPaths, unchangedBytes) = proposalFiles.ReadUnchanged(proposal, affected);
        if (changedPaths.Count > 0)
        {
            changedUnderneath = ChangedFileRebase.SnapshotOf(proposal, changedPaths);
            return DecisionChecks.Refused(proposal.Id, proposal, new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                $"{string.Join(", ", changedPaths.Select(p => "'" + p + "'"))} kept changing on disk while proposal {proposal.Id} was being rebased onto it; nothing was written. "
                + "Reload the proposal and review it again once the files stop changing."));
        }

        meter?.Mark(RuntimeStep.ApprovalDiskChecked, proposal.Id);

        // Compute each affected file's content after this decision.
        var files = new List<FileChangeRecord>();
        var writes = new List<PlannedFileWrite>();
        var blobs = new List<BlobWrite>();
        var amendmentRecords = new List<AmendmentRecord>();
        foreach (var path in affected)
        {
            var file = proposal.Files[path];
            var approvingNow = keys.Where(k => HunkKey.Split(k).Path == path).Select(k => HunkKey.Split(k).HunkId).ToHashSet(StringComparer.Ordinal);
            var fileAmendment = amendments.FirstOrDefault(a => a.Path == path && a.HunkId is null);
            var hunkAmendments = amendments.Where(a => a.Path == path && a.HunkId is not null).ToDictionary(a => a.HunkId!, a => a.Text, StringComparer.Ordinal);
            var (planned, after, amendmentError) = PlanFile(file, approvingNow, hunkAmendments, fileAmendment, unchangedBytes.GetValueOrDefault(path));
            if (amendmentError is not null)
            {
                return DecisionChecks.Refused(proposal.Id, proposal, amendmentError);
            }

            writes.AddRange(planned);
            blobs.AddRange(after);
            files.AddRange(ChangeRecords(file, planned));
            amendmentRecords.AddRange(AmendmentRecords(file, hunkAmendments, fileAmendment));
        }

        var approval = new ApprovalPayload(proposal.Id, proposal.Revision, request.Approver, keys, amendmentRecords, policy.CurrentHash, files, "",
            request.HunkDigests is null ? null : new SortedDictionary<string, string>(request.HunkDigests.ToDictionary(), StringComparer.Ordinal),
            request.Pinned ? null : false);
        meter?.Mark(RuntimeStep.ApprovalPlanned, proposal.Id);
        return execution.CarryOut(proposal.Id, proposal.Revision, approval, blobs, writes, approvalSeq =>
            PendingEntry.Of(EntryKind.Commit, approval.Approver,
                new CommitPayload(proposal.Id, proposal.Revision, proposal.Staged.WritId, proposal.Staged.Agent, approval.Approver, approvalSeq, approval.PolicyHash, approval.Hunks, approval.Files, Recovered: false),
                LedgerJsonContext.Default.CommitPayload));
    }

    private void RejectAllPending(ProposalState proposal, string reasonCode, string reason, string actor = "runtime")
    {
        var keys = proposal.PendingHunkKeys;
        if (keys.Count == 0)
        {
            return;
        }

        var payload = new RejectionPayload(proposal.Id, proposal.Revision, keys, reasonCode, reason, proposal.Staged.Agent, proposal.Staged.WritId,
            [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], policy.CurrentHash);
        folded.Append([PendingEntry.Of(EntryKind.Rejection, actor, payload, LedgerJsonContext.Default.RejectionPayload)]);
    }

    private (IReadOnlyList<PlannedFileWrite> Writes, IReadOnlyList<BlobWrite> Blobs, RuntimeError? Error) PlanFile(
        ProposalFileState file,
        HashSet<string> approvingNow,
        Dictionary<string, string> hunkAmendments,
        Amendment? fileAmendment,
        (byte[] Bytes, string Hash)? onDisk)
    {
        var record = file.Record;
        if (file.IsWholeFile && fileAmendment is null)
        {
            if (record.Effect == "rename")
            {
                var content = folded.Ledger.ReadBlob(ContentHash.Parse(record.BaseHash!))!;
                var mode = applier.ModeOnDisk(record.FromPath!);
                return ([new PlannedFileWrite(record.Path, content, mode), new PlannedFileWrite(record.FromPath!, null)], [], null);
            }

            var result = record.ResultHash is null ? null : folded.Ledger.ReadBlob(ContentHash.Parse(record.ResultHash))!;
            return ([new PlannedFileWrite(record.Path, result)], [], null);
        }

        var document = proposalFiles.BaseDocument(record, onDisk);
        byte[] afterBytes;
        if (fileAmendment is not null)
        {
            if (record.Effect is "delete" or "rename")
            {
                return ([], [], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"A {record.Effect} of '{record.Path}' cannot be amended with new text; reject it and edit the file instead."));
            }

            try
            {
                afterBytes = document is null ? Encoding.UTF8.GetBytes(fileAmendment.Text) : document.Encode(fileAmendment.Text);
            }
            catch (TextEncodingException exception)
            {
                return ([], [], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"The amendment for '{record.Path}' cannot be saved: {exception.Message}"));
            }
        }
        else
        {
            var dominant = document?.DominantLineEnding ?? "\n";
            var hunks = new List<Hunk>();
            foreach (var hunk in record.Hunks)
            {
                var status = file.Hunks[hunk.Id];
                var approved = status == HunkStatus.Approved || approvingNow.Contains(hunk.Id);
                if (!approved)
                {
                    continue;
                }

                var amendedText = hunkAmendments.TryGetValue(hunk.Id, out var now) ? now : file.HunkAmendments.GetValueOrDefault(hunk.Id);
                var added = amendedText is null ? hunk.Added : TextDocument.SplitLines(LineEndings.ToDominant(amendedText, dominant));
                hunks.Add(new Hunk(hunk.Id, hunk.BaseStart, hunk.Removed, added));
            }

            var baseLines = document?.Lines ?? [];
            var text = HunkApplier.Join(HunkApplier.Apply(baseLines, hunks, dominant), dominant);
            try
            {
                afterBytes = document is null ? Encoding.UTF8.GetBytes(text) : document.Encode(text);
            }
            catch (TextEncodingException exception)
            {
                return ([], [], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"The amendment for '{record.Path}' cannot be saved: {exception.Message}"));
            }
        }

        return ([new PlannedFileWrite(record.Path, afterBytes)], [BlobWrite.Of(afterBytes)], null);
    }

    private IEnumerable<FileChangeRecord> ChangeRecords(ProposalFileState file, IReadOnlyList<PlannedFileWrite> writes)
    {
        foreach (var write in writes)
        {
            var before = write.Path == file.Record.Path ? file.CurrentHash : file.Record.BaseHash;
            if (file.Record.Effect == "rename" && write.Path == file.Record.Path)
            {
                before = null;
            }

            var after = write.Content is null ? null : ContentHash.Of(write.Content).ToString();
            var mode = write.Content is null ? null : (int?)(write.Mode ?? applier.ModeOnDisk(write.Path) ?? (UnixFileMode)CommitExecution.DefaultFileMode);
            yield return new FileChangeRecord(write.Path, before, after, mode);
        }
    }

    private IEnumerable<AmendmentRecord> AmendmentRecords(ProposalFileState file, Dictionary<string, string> hunkAmendments, Amendment? fileAmendment)
    {
        if (fileAmendment is not null)
        {
            yield return new AmendmentRecord(file.Record.Path, null, file.Record.ResultHash ?? ContentHash.Of([]).ToString(), fileAmendment.Text);
        }

        foreach (var (hunkId, text) in hunkAmendments)
        {
            var original = file.Record.Hunks.First(h => h.Id == hunkId);
            yield return new AmendmentRecord(file.Record.Path, hunkId, ContentHash.Of(Encoding.UTF8.GetBytes(string.Concat(original.Added))).ToString(), text);
        }
    }
}
