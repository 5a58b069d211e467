// Deciding proposals: approve (apply atomically and commit) or reject, per proposal, file or hunk.
using System.Diagnostics;
using System.Text;
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Approves hunks of a proposal. Each affected file must still have the content the proposal
    /// expects; if not, the change is observed and the proposal is rebased into a new revision (no
    /// overlap) or marked stale (overlap), and nothing is written; that rebase is computed outside the
    /// runtime's lock (<see cref="RebaseChangedUnderneath"/>). Otherwise the approval is ledgered, the files
    /// are written atomically, and the commit is ledgered.
    /// </summary>
    public DecisionResult Approve(ApproveRequest request)
    {
        var (result, changed) = Run(() => (ApproveLocked(request, out var changedUnderneath), changedUnderneath));
        return changed is null ? result : RebaseChangedUnderneath(result, changed);
    }

    /// <summary>
    /// An approval found the proposal's files changed on disk: its rebase (or staleness) is computed outside the lock
    /// and recorded if still current, and that is the approval's answer. When the proposal was decided meanwhile or its
    /// files kept changing, <paramref name="refusal"/> (nothing written, review again) is.
    /// </summary>
    private DecisionResult RebaseChangedUnderneath(DecisionResult refusal, ChangedProposal changed)
    {
        var recorded = RecordChangesOutsideTheLock([changed], null);
        return recorded.Count > 0 ? recorded[0] : refusal;
    }

    /// <summary>Rejects hunks of a proposal; the rejection and its reason are ledgered.</summary>
    public DecisionResult Reject(RejectRequest request)
    {
        return Run(() =>
        {
            var (proposal, error) = FindPending(request.ProposalId, request.Revision);
            if (error is not null)
            {
                return Refused(request.ProposalId, proposal, error);
            }

            var (keys, selectionError) = ResolveSelection(proposal!, request.Selection);
            if (selectionError is not null)
            {
                return Refused(request.ProposalId, proposal, selectionError);
            }

            var reviewError = CheckReviewed(proposal!, keys, request.HunkDigests, "reject");
            if (reviewError is not null)
            {
                return Refused(request.ProposalId, proposal, reviewError);
            }

            var payload = new RejectionPayload(proposal!.Id, proposal.Revision, keys, RejectionReason.Reviewer,
                string.IsNullOrWhiteSpace(request.Reason) ? "Rejected by the reviewer." : request.Reason,
                proposal.Staged.Agent, proposal.Staged.WritId, [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], CurrentPolicyHash);
            Append([PendingEntry.Of(EntryKind.Rejection, request.Actor, payload, LedgerJsonContext.Default.RejectionPayload)]);
            return new DecisionResult(DecisionOutcome.Rejected, proposal.Id, proposal.Revision);
        });
    }

    /// <summary>Where the most recent approval that reached the ledger spent its time (for the approve benchmark).</summary>
    public ApprovalSteps LastApprovalSteps { get; private set; }

    /// <summary>
    /// The approval under the lock. When the files changed on disk nothing is decided: <paramref name="changedUnderneath"/>
    /// is a snapshot of the proposal for the caller to rebase outside the lock, and the result is the refusal to give if
    /// that rebase cannot be recorded.
    /// </summary>
    private DecisionResult ApproveLocked(ApproveRequest request, out ChangedProposal? changedUnderneath)
    {
        changedUnderneath = null;
        var started = Stopwatch.GetTimestamp();
        var (proposal, error) = FindPending(request.ProposalId, request.Revision);
        if (error is not null)
        {
            return Refused(request.ProposalId, proposal, error);
        }

        var (keys, selectionError) = ResolveSelection(proposal!, request.Selection);
        if (selectionError is not null)
        {
            return Refused(request.ProposalId, proposal, selectionError);
        }

        var reviewError = CheckReviewed(proposal!, keys, request.HunkDigests, "approve");
        if (reviewError is not null)
        {
            return Refused(request.ProposalId, proposal, reviewError);
        }

        var amendments = request.Amendments ?? [];
        foreach (var amendment in amendments)
        {
            var covered = amendment.HunkId is null
                ? keys.Any(k => HunkKey.Split(k).Path == amendment.Path)
                : keys.Contains(HunkKey.Of(amendment.Path, amendment.HunkId));
            if (!covered)
            {
                return Refused(proposal!.Id, proposal, new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                    $"The amendment for '{amendment.Path}'{(amendment.HunkId is null ? "" : "#" + amendment.HunkId)} is not part of what is being approved. Include it in the selection."));
            }
        }

        // The writ must still hold at the time of the effect: not revoked, not expired.
        if (_state.Writs.TryGetValue(proposal!.Staged.WritId, out var writ))
        {
            var writError = CheckWritUsable(writ);
            if (writError is not null)
            {
                RejectAllPending(proposal, writError.Code == RuntimeErrorCode.WritRevoked ? RejectionReason.WritRevoked : RejectionReason.WritExpired, writError.Message);
                return new DecisionResult(DecisionOutcome.Refused, proposal.Id, proposal.Revision, Error: writError);
            }
        }

        var denied = DeniedNow(proposal, keys);
        if (denied is not null)
        {
            RejectAllPending(proposal, RejectionReason.PolicyDenied, denied.Message);
            return new DecisionResult(DecisionOutcome.Refused, proposal.Id, proposal.Revision, Error: denied);
        }

        var checkedAt = Stopwatch.GetTimestamp();
        var affected = keys.Select(k => HunkKey.Split(k).Path).Distinct().ToList();
        var (changedPaths, unchangedBytes) = ReadUnchanged(proposal, affected);
        if (changedPaths.Count > 0)
        {
            changedUnderneath = SnapshotOf(proposal, changedPaths);
            return Refused(proposal.Id, proposal, new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                $"{string.Join(", ", changedPaths.Select(p => "'" + p + "'"))} kept changing on disk while proposal {proposal.Id} was being rebased onto it; nothing was written. "
                + "Reload the proposal and review it again once the files stop changing."));
        }

        var diskCheckedAt = Stopwatch.GetTimestamp();

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
                return Refused(proposal.Id, proposal, amendmentError);
            }

            writes.AddRange(planned);
            blobs.AddRange(after);
            files.AddRange(ChangeRecords(file, planned));
            amendmentRecords.AddRange(AmendmentRecords(file, hunkAmendments, fileAmendment));
        }

        var approval = new ApprovalPayload(proposal.Id, proposal.Revision, request.Approver, keys, amendmentRecords, CurrentPolicyHash, files, "",
            request.HunkDigests is null ? null : new SortedDictionary<string, string>(request.HunkDigests.ToDictionary(), StringComparer.Ordinal),
            request.Pinned ? null : false);
        _stepMarks = [started, checkedAt, diskCheckedAt, Stopwatch.GetTimestamp()];
        return CarryOut(proposal.Id, proposal.Revision, approval, blobs, writes, approvalSeq =>
            PendingEntry.Of(EntryKind.Commit, approval.Approver,
                new CommitPayload(proposal.Id, proposal.Revision, proposal.Staged.WritId, proposal.Staged.Agent, approval.Approver, approvalSeq, approval.PolicyHash, approval.Hunks, approval.Files, Recovered: false),
                LedgerJsonContext.Default.CommitPayload));
    }

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
    /// files are not at their after state (see <c>RedoCommitsAfterMark</c>). A rename that fails with
    /// an I/O error after the commit is durable is compensated: files put back, a revert entry recorded.
    /// </summary>
    private DecisionResult CarryOut(string proposalId, int revision, ApprovalPayload approval, IReadOnlyList<BlobWrite> blobs, IReadOnlyList<PlannedFileWrite> writes, Func<long, PendingEntry> completion)
    {
        var approvalEntry = PendingEntry.Of(EntryKind.Approval, approval.Approver, approval, LedgerJsonContext.Default.ApprovalPayload);
        StagedApply staged;
        try
        {
            // No path string is checked again here: Stage resolves each target beneath the workspace's descriptor without
            // following links (a folder swapped for a link since the compile is refused there, and again by the rename).
            staged = _applier.Stage(writes);
            MarkStep();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var message = $"Applying {Describe(proposalId)} failed: {exception.Message} The files were left as they were; fix the cause and {(IsRevert(proposalId) ? "try the revert again" : "ask the agent to propose again")}.";
            Append(approvalSeq => [approvalEntry, PendingEntry.Of(EntryKind.ExecutionFailed, "runtime",
                new ExecutionFailedPayload(proposalId, revision, approvalSeq, "io-error", message), LedgerJsonContext.Default.ExecutionFailedPayload)], blobs);
            return new DecisionResult(DecisionOutcome.Failed, proposalId, revision, Error: new RuntimeError(RuntimeErrorCode.ExecutionFailed, message));
        }

        IReadOnlyList<LedgerEntry> entries;
        try
        {
            entries = Append(approvalSeq => [approvalEntry, completion(approvalSeq)], blobs);
            MarkStep();

            // Inside the lock on purpose: no file may change before the entry that can redo it is durable,
            // and the next decision must see the files as this one leaves them.
            _ledger.WaitUntilDurable(entries[^1].Seq);
            MarkStep();
        }
        catch
        {
            _applier.Discard(staged);
            throw;
        }

        var done = entries[^1];
        try
        {
            var (files, directories) = _applier.Publish(staged);
            _fileSync.Enqueue(done.Seq, files, directories);
            MarkStep();
            RecordSteps();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Compensate(proposalId, revision, approval, entries[0].Seq, done.Seq, exception);
        }
        catch
        {
            // Some files may not be in place; keep the mark before this commit so the next open redoes it.
            _fileSync.Halt();
            throw;
        }

        return new DecisionResult(DecisionOutcome.Committed, proposalId, revision, done.Seq);
    }

    /// <summary>Timestamps of the approval in progress, step by step (see <see cref="ApprovalSteps"/>); a revert starts with none.</summary>
    private List<long> _stepMarks = [];

    private void MarkStep() => _stepMarks.Add(Stopwatch.GetTimestamp());

    private void RecordSteps()
    {
        var m = _stepMarks;
        if (m.Count == 8)
        {
            LastApprovalSteps = new ApprovalSteps(m[1] - m[0], m[2] - m[1], m[3] - m[2], m[4] - m[3], m[5] - m[4], m[6] - m[5], m[7] - m[6]);
        }

        _stepMarks = [];
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
            _fileSync.Halt();
            throw;
        }

        var message = $"Applying {Describe(proposalId)} failed while moving the files into place: {exception.Message} "
            + $"The files were put back and entry {doneSeq} was reverted by the runtime; fix the cause and {(IsRevert(proposalId) ? "try the revert again" : "ask the agent to propose again")}.";
        var inverse = approval.Files
            .Select(f => new FileChangeRecord(f.Path, f.After, f.Before, f.Before is null ? null : (int?)(_applier.ModeOnDisk(f.Path) ?? (UnixFileMode)DefaultFileMode)))
            .ToList();
        Append([PendingEntry.Of(EntryKind.Revert, "runtime", new RevertPayload(doneSeq, approvalSeq, "runtime", message, approval.PolicyHash, inverse), LedgerJsonContext.Default.RevertPayload)]);
        return new DecisionResult(DecisionOutcome.Failed, proposalId, revision, Error: new RuntimeError(RuntimeErrorCode.ExecutionFailed, message));
    }

    private static bool IsRevert(string proposalId) => proposalId.StartsWith(RevertProposalPrefix, StringComparison.Ordinal);

    private static string Describe(string proposalId) => IsRevert(proposalId) ? "the revert of commit " + proposalId[RevertProposalPrefix.Length..] : "proposal " + proposalId;

    /// <summary>Puts every file that reached its after state back to its before state (best effort, bytes from blobs).</summary>
    private void RollBack(IReadOnlyList<FileChangeRecord> files)
    {
        var restores = new List<PlannedFileWrite>();
        foreach (var file in files)
        {
            if (_applier.StateOnDisk(file.Path).Is(file.After) && file.After != file.Before)
            {
                var before = file.Before is null ? null : _ledger.ReadBlob(ContentHash.Parse(file.Before));
                restores.Add(new PlannedFileWrite(file.Path, before, ToMode(file.Mode)));
            }
        }

        if (restores.Count > 0)
        {
            _applier.Apply(restores);
        }
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
                var content = _ledger.ReadBlob(ContentHash.Parse(record.BaseHash!))!;
                var mode = _applier.ModeOnDisk(record.FromPath!);
                return ([new PlannedFileWrite(record.Path, content, mode), new PlannedFileWrite(record.FromPath!, null)], [], null);
            }

            var result = record.ResultHash is null ? null : _ledger.ReadBlob(ContentHash.Parse(record.ResultHash))!;
            return ([new PlannedFileWrite(record.Path, result)], [], null);
        }

        var document = BaseDocument(record, onDisk);
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
            var mode = write.Content is null ? null : (int?)(write.Mode ?? _applier.ModeOnDisk(write.Path) ?? (UnixFileMode)DefaultFileMode);
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

    /// <summary>
    /// Reads each affected file once: the paths whose content is no longer what the proposal expects, and
    /// for the others the bytes just read with their hash, so planning need not read the base blob back
    /// from the ledger when the file on disk is that base.
    /// </summary>
    private (List<string> Changed, Dictionary<string, (byte[] Bytes, string Hash)?> Unchanged) ReadUnchanged(ProposalState proposal, IReadOnlyList<string> affected)
    {
        var changed = new List<string>();
        var unchanged = new Dictionary<string, (byte[] Bytes, string Hash)?>(StringComparer.Ordinal);
        foreach (var path in affected)
        {
            var file = proposal.Files[path];
            byte[]? bytes;
            try
            {
                bytes = _applier.ReadOnDisk(DiskPathOf(file));
            }
            catch (WorkspaceFileTooLargeException)
            {
                changed.Add(path); // nothing that large is recorded, so it is not what the proposal expects
                continue;
            }

            var hash = bytes is null ? null : ContentHash.Of(bytes).ToString();
            if (ExpectedOnDisk(proposal, path) != hash || (file.Record.Effect == "rename" && !_applier.StateOnDisk(path).IsMissing))
            {
                changed.Add(path);
            }
            else
            {
                unchanged[path] = bytes is null ? null : (bytes, hash!);
            }
        }

        return (changed, unchanged);
    }

    private TextDocument? BaseDocument(ProposalFileRecord record, (byte[] Bytes, string Hash)? onDisk = null)
    {
        if (record.BaseHash is null)
        {
            return null;
        }

        // The same content hash means the same bytes: the file just read from disk is the base.
        var bytes = onDisk is { } read && read.Hash == record.BaseHash ? read.Bytes : _ledger.ReadBlob(ContentHash.Parse(record.BaseHash))
            ?? throw new InvalidDataException($"The ledger lacks the base blob {record.BaseHash[..12]} of '{record.Path}'. Run verify.");
        return TextDocument.TryDecode(bytes);
    }

    /// <summary>The hash the file that will be written must have on disk now: its current hash, or none for a rename target.</summary>
    private static string? ExpectedOnDisk(ProposalState proposal, string path)
    {
        var file = proposal.Files[path];
        return file.Record.Effect == "rename" ? file.Record.BaseHash : file.CurrentHash;
    }

    private static string DiskPathOf(ProposalFileState file) => file.Record.Effect == "rename" ? file.Record.FromPath! : file.Record.Path;

    private (ProposalState? Proposal, RuntimeError? Error) FindPending(string proposalId, int revision)
    {
        if (!_state.Proposals.TryGetValue(proposalId, out var proposal))
        {
            return (null, new RuntimeError(RuntimeErrorCode.ProposalNotFound, $"There is no proposal '{proposalId}'. List pending proposals to see what awaits review."));
        }

        if (proposal.Revision != revision)
        {
            return (proposal, new RuntimeError(RuntimeErrorCode.RevisionMismatch, RevisionChangedMessage(proposal, revision)));
        }

        if (proposal.Status == ProposalStatus.Stale)
        {
            return (proposal, new RuntimeError(RuntimeErrorCode.ProposalNotPending,
                $"Proposal {proposalId} is stale and cannot be applied: its files changed in the lines it edits after it was made ({proposal.LastReason}). Nothing was written. Reject it from the Pending view, and ask the agent to read the file again and propose anew."));
        }

        if (!proposal.IsPending)
        {
            return (proposal, new RuntimeError(RuntimeErrorCode.ProposalNotPending, NotPendingMessage(proposal)));
        }

        return (proposal, null);
    }

    /// <summary>What a decision on an older revision is told: which revision is current, why it changed, and what to do.</summary>
    private static string RevisionChangedMessage(ProposalState proposal, int revision)
    {
        var why = proposal.Staged.RevisionReason switch
        {
            RevisionReasons.Rebased => "the runtime rebased it onto a file that changed on disk",
            RevisionReasons.Amended => "a reviewer amended it",
            _ => "the agent revised it",
        };
        var newer = revision < proposal.Revision;
        return newer
            ? $"Proposal {proposal.Id} is at revision {proposal.Revision}, not the revision {revision} you reviewed: {why} since. Nothing was decided or written. Reload it (thymos show {proposal.Id}) and review revision {proposal.Revision}; to approve it, name it: thymos approve {proposal.Id}@{proposal.Revision}."
            : $"Proposal {proposal.Id} has no revision {revision}; its current revision is {proposal.Revision}. Nothing was decided or written. Reload it (thymos show {proposal.Id}) and review revision {proposal.Revision}.";
    }

    /// <summary>
    /// What a decision on a proposal that awaits none is told. An approved proposal names its commit and whether its files are
    /// written: a process killed after the commit was durable but before its renames leaves the commit after the
    /// applied-through mark with the files at their before state; recovery at the next open writes them.
    /// </summary>
    private string NotPendingMessage(ProposalState proposal)
    {
        var status = ProtocolStatusName(proposal.Status);
        if (proposal.Status is not (ProposalStatus.Approved or ProposalStatus.PartiallyApproved))
        {
            return $"Proposal {proposal.Id} is {status}; nothing in it awaits a decision. Nothing was written. Run thymos log to see what happened to it.";
        }

        var commit = LastCommitOf(proposal.Id);
        if (commit is null)
        {
            return $"Proposal {proposal.Id} is {status}; nothing in it awaits a decision. Nothing was written.";
        }

        var (seq, files) = commit.Value;
        var notWritten = files.Where(f => !_applier.StateOnDisk(f.Path).Is(f.After)).Select(f => "'" + f.Path + "'").ToList();
        if (notWritten.Count == 0)
        {
            return $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq} and its files are written. Nothing more to do.";
        }

        var mark = _fileSync.ReadMark();
        return mark is null || mark < seq
            ? $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq}, but {string.Join(", ", notWritten)} {(notWritten.Count == 1 ? "is" : "are")} not written yet (the process stopped before moving {(notWritten.Count == 1 ? "it" : "them")} into place). Recovery writes {(notWritten.Count == 1 ? "it" : "them")} from the ledger when the sidecar restarts; do not approve again."
            : $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq}, and {string.Join(", ", notWritten)} changed on disk since. Run thymos drift to see how.";
    }

    /// <summary>The seq and file changes of the newest commit of a proposal, or null when it has none.</summary>
    private (long Seq, IReadOnlyList<FileChangeRecord> Files)? LastCommitOf(string proposalId)
    {
        foreach (var seq in _state.Commits.Keys.OrderDescending())
        {
            var entry = _state.Commits[seq];
            if (entry.Kind == EntryKind.Commit)
            {
                var commit = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload);
                if (commit.ProposalId == proposalId)
                {
                    return (entry.Seq, commit.Files);
                }
            }
        }

        return null;
    }

    private static string ProtocolStatusName(ProposalStatus status) => status switch
    {
        ProposalStatus.PartiallyApproved => "partially approved",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Checks that the hunks a decision covers are the ones the reviewer saw: with digests, every hunk being decided must be
    /// named, and every named hunk must exist in this revision with the same content digest.
    /// </summary>
    private static RuntimeError? CheckReviewed(ProposalState proposal, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string>? digests, string verb)
    {
        if (digests is null)
        {
            return null;
        }

        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, file) in proposal.Files)
        {
            foreach (var hunk in file.Record.Hunks)
            {
                current[HunkKey.Of(path, hunk.Id)] = HunkDigest.Of(file.Record, hunk);
            }
        }

        var reload = $"Nothing was decided or written. Reload proposal {proposal.Id} (thymos show {proposal.Id}) and review revision {proposal.Revision} again.";
        foreach (var (key, seen) in digests.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!current.TryGetValue(key, out var now))
            {
                return new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                    $"Hunk '{key}' that you reviewed is not part of proposal {proposal.Id} revision {proposal.Revision}. {reload}");
            }

            if (!string.Equals(now, seen, StringComparison.OrdinalIgnoreCase))
            {
                return new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                    $"Hunk '{key}' of proposal {proposal.Id} revision {proposal.Revision} is not the content you reviewed: you saw digest {HunkDigest.Short(seen)}, it is now {HunkDigest.Short(now)}. {reload}");
            }
        }

        var unseen = keys.Where(k => !digests.ContainsKey(k)).ToList();
        if (unseen.Count > 0)
        {
            return new RuntimeError(RuntimeErrorCode.ReviewOutdated,
                $"The {verb} covers {string.Join(", ", unseen.Select(k => "'" + k + "'"))} of proposal {proposal.Id} revision {proposal.Revision}, which {(unseen.Count == 1 ? "is" : "are")} not among the hunks you reviewed. {reload}");
        }

        return null;
    }

    private static (IReadOnlyList<string> Keys, RuntimeError? Error) ResolveSelection(ProposalState proposal, HunkSelection selection)
    {
        var pending = proposal.PendingHunkKeys;
        if (selection.IsAll)
        {
            return (pending, null);
        }

        var keys = new List<string>();
        foreach (var path in selection.Files ?? [])
        {
            if (!proposal.Files.TryGetValue(path, out var file))
            {
                return ([], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"Proposal {proposal.Id} does not touch '{path}'."));
            }

            var fileKeys = file.Hunks.Where(h => h.Value == HunkStatus.Pending).Select(h => HunkKey.Of(path, h.Key)).ToList();
            if (fileKeys.Count == 0)
            {
                return ([], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"Every hunk of '{path}' in proposal {proposal.Id} is already decided."));
            }

            keys.AddRange(fileKeys);
        }

        foreach (var key in selection.Hunks ?? [])
        {
            if (!pending.Contains(key))
            {
                return ([], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"Hunk '{key}' is not a pending hunk of proposal {proposal.Id} revision {proposal.Revision}."));
            }

            keys.Add(key);
        }

        return ([.. keys.Distinct(StringComparer.Ordinal)], null);
    }

    private RuntimeError? DeniedNow(ProposalState proposal, IReadOnlyList<string> keys)
    {
        if (_policyError is not null)
        {
            return null;
        }

        var changes = keys.Select(k => HunkKey.Split(k).Path).Distinct()
            .Select(path => proposal.Files[path].Record)
            .SelectMany(r => r.FromPath is null
                ? new[] { new FileChange(r.Path, IntentCompiler.ParseEffect(r.Effect), r.ChangedLines, 0) }
                : [new FileChange(r.FromPath, Writs.Effects.Rename, 0, 0), new FileChange(r.Path, Writs.Effects.Rename, 0, 0)])
            .ToList();
        var trace = PolicyEvaluator.Evaluate(_policy, changes);
        if (trace.Outcome != PolicyOutcome.Deny)
        {
            return null;
        }

        var denied = trace.Files.First(f => f.Outcome == PolicyOutcome.Deny);
        return new RuntimeError(RuntimeErrorCode.PolicyDenied, $"The workspace policy now denies changing '{denied.Path}' (rule {denied.DecidedBy}); the proposal was rejected.");
    }

    private void RejectAllPending(ProposalState proposal, string reasonCode, string reason, string actor = "runtime")
    {
        var keys = proposal.PendingHunkKeys;
        if (keys.Count == 0)
        {
            return;
        }

        var payload = new RejectionPayload(proposal.Id, proposal.Revision, keys, reasonCode, reason, proposal.Staged.Agent, proposal.Staged.WritId,
            [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], CurrentPolicyHash);
        Append([PendingEntry.Of(EntryKind.Rejection, actor, payload, LedgerJsonContext.Default.RejectionPayload)]);
    }

    private static DecisionResult Refused(string proposalId, ProposalState? proposal, RuntimeError error) =>
        new(DecisionOutcome.Refused, proposalId, proposal?.Revision ?? 0, Error: error);

    private const int DefaultFileMode = 0b110_100_100;

    private static UnixFileMode? ToMode(int? mode) => mode is null ? null : (UnixFileMode)mode.Value;
}
