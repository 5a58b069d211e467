// When files changed under a proposal: record the change, then rebase the proposal or mark it stale.
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Checks the pending proposals that touch <paramref name="paths"/> (every pending proposal when
    /// null) against the disk, as a file watcher calls it after someone saved a file. Each proposal
    /// whose files no longer hold the content it expects is handled as an approval would handle it:
    /// the change is ledgered as observed, then the proposal is rebased into a new revision (the change
    /// is in other lines) or marked stale (it is in the proposal's lines). Nothing is written to the
    /// workspace. Returns one result per proposal that was rebased or marked stale.
    /// The rebases (three-way merges and diffs) are computed outside the runtime's lock against a snapshot of
    /// each proposal and the disk content read then; under the lock a plan is recorded only if the proposal has
    /// no newer entry and its files still hash as they were read (<see cref="RecordChangesOutsideTheLock"/>).
    /// </summary>
    public IReadOnlyList<DecisionResult> ObserveChangedFiles(IReadOnlyCollection<string>? paths = null)
    {
        var found = Run(() => FindChangedProposals(paths));
        return found.Count == 0 ? [] : RecordChangesOutsideTheLock(found, paths);
    }

    /// <summary>
    /// Plans the rebase of each proposal snapshot outside the lock, then, under it, records the plans still current
    /// and takes a new snapshot of each proposal a plan was overtaken for (another entry, or its files changed again);
    /// those are planned again, up to <see cref="AttemptsOutsideTheLock"/> rounds in all. Nothing is ever
    /// computed under the lock; a proposal still overtaken after the last round is left for the next observation.
    /// </summary>
    private List<DecisionResult> RecordChangesOutsideTheLock(List<ChangedProposal> found, IReadOnlyCollection<string>? paths)
    {
        var results = new List<DecisionResult>();
        for (var attempt = 1; found.Count > 0 && attempt <= AttemptsOutsideTheLock; attempt++)
        {
            var plans = found.Select(f => PlanChangedFiles(f.Id, f.LastEntrySeq, f.Files, f.Changed)).ToList();
            found = Run(() =>
            {
                var again = new List<ChangedProposal>();
                foreach (var plan in plans)
                {
                    if (!_state.Proposals.TryGetValue(plan.ProposalId, out var proposal) || !proposal.IsPending)
                    {
                        continue;
                    }

                    if (IsStillCurrent(proposal, plan))
                    {
                        results.Add(RecordChangePlan(proposal, plan));
                    }
                    else if (SnapshotIfChanged(proposal, paths) is { } snapshot)
                    {
                        again.Add(snapshot);
                    }
                }

                return again;
            });
        }

        return results;
    }

    /// <summary>Test hook: runs while a rebase is computed (with its proposal's id), wherever that is.</summary>
    internal Action<string>? WhileComputingRebase { get; set; }

    /// <summary>Under the lock: each pending proposal with files changed on disk, with a copy of its files to plan against outside the lock.</summary>
    private List<ChangedProposal> FindChangedProposals(IReadOnlyCollection<string>? paths) =>
        [.. _state.Proposals.Values.Where(p => p.IsPending).OrderBy(p => p.FirstSeq).Select(p => SnapshotIfChanged(p, paths)).OfType<ChangedProposal>()];

    /// <summary>Under the lock: the proposal's files (a copy) and which of them changed on disk, or null when none did.</summary>
    private ChangedProposal? SnapshotIfChanged(ProposalState proposal, IReadOnlyCollection<string>? paths)
    {
        var changed = ChangedPathsOf(proposal, paths);
        return changed.Count == 0 ? null : SnapshotOf(proposal, changed);
    }

    /// <summary>Under the lock: a copy of the proposal's files that later decisions do not change, to plan against outside it.</summary>
    private static ChangedProposal SnapshotOf(ProposalState proposal, IReadOnlyList<string> changed) =>
        new(proposal.Id, proposal.LastEntrySeq, proposal.Files.ToDictionary(pair => pair.Key, pair => CopyOf(pair.Value), StringComparer.Ordinal), changed);

    /// <summary>The files of a proposal, among <paramref name="paths"/> (all when null), with pending hunks and a different content on disk.</summary>
    private List<string> ChangedPathsOf(ProposalState proposal, IReadOnlyCollection<string>? paths) =>
        [.. proposal.Files
            .Where(f => f.Value.Hunks.Values.Any(s => s == HunkStatus.Pending))
            .Where(f => paths is null || paths.Contains(DiskPathOf(f.Value)) || paths.Contains(f.Key))
            .Select(f => f.Key)
            .Where(path => ChangedOnDisk(proposal, path))];

    /// <summary>A copy of a file's state that later decisions under the lock do not change.</summary>
    private static ProposalFileState CopyOf(ProposalFileState file)
    {
        var copy = new ProposalFileState(file.Record) { CurrentHash = file.CurrentHash };
        foreach (var (id, status) in file.Hunks)
        {
            copy.Hunks[id] = status;
        }

        foreach (var (id, text) in file.HunkAmendments)
        {
            copy.HunkAmendments[id] = text;
        }

        return copy;
    }

    /// <summary>Under the lock: the proposal has no entry newer than the plan's snapshot and each changed file still hashes as it was read.</summary>
    private bool IsStillCurrent(ProposalState proposal, ChangePlan plan) =>
        proposal.LastEntrySeq == plan.LastEntrySeq
        && plan.Observed.All(observed => _applier.StateOnDisk(observed.Key) == observed.Value);

    /// <summary>True when the file a proposal would write no longer has the content the proposal was computed against.</summary>
    private bool ChangedOnDisk(ProposalState proposal, string path) =>
        !_applier.StateOnDisk(DiskPathOf(proposal.Files[path])).Is(ExpectedOnDisk(proposal, path))
        || (proposal.Files[path].Record.Effect == "rename" && !_applier.StateOnDisk(path).IsMissing);

    /// <summary>
    /// A human (or a tool) changed files since the proposal was computed: the entries that record the change as
    /// observed and then rebase the proposal (three-way, onto the new content, as a new revision for review) or
    /// mark it stale (a pending hunk overlaps or touches the changed lines). Computed outside the lock from a copy
    /// of the proposal's <paramref name="files"/> and the disk as read now; reads the ledger's blobs and the disk,
    /// writes nothing: a human's newer edit is never overwritten.
    /// </summary>
    private ChangePlan PlanChangedFiles(string proposalId, long lastEntrySeq, IReadOnlyDictionary<string, ProposalFileState> files, IReadOnlyList<string> changedPaths)
    {
        WhileComputingRebase?.Invoke(proposalId);
        var observations = new List<PendingEntry>();
        var blobs = new List<BlobWrite>();
        var observed = new Dictionary<string, DiskState>(StringComparer.Ordinal);
        var diskContent = new Dictionary<string, (DiskState State, byte[]? Bytes)>(StringComparer.Ordinal);
        foreach (var path in changedPaths)
        {
            var file = files[path];
            var diskPath = DiskPathOf(file);
            string? observedHash = null;
            DiskState state;
            byte[]? bytes = null;
            try
            {
                bytes = _applier.ReadOnDisk(diskPath);
                if (bytes is null)
                {
                    state = _applier.StateOnDisk(diskPath); // missing, or a link or special file (never read)
                }
                else
                {
                    var blob = BlobWrite.Of(bytes);
                    blobs.Add(blob);
                    observedHash = blob.Hash.ToString();
                    state = DiskState.RegularFile(observedHash);
                }
            }
            catch (WorkspaceFileTooLargeException)
            {
                // Too large to keep or merge; its hash is still recorded (streamed, outside the lock), so the ledger says what was there.
                state = DiskState.TooLarge;
                observedHash = _applier.HashOnDiskWithoutLimit(diskPath);
            }

            diskContent[path] = (state, bytes);
            observed[diskPath] = state;
            observations.Add(PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime",
                new ExternalChangeObservedPayload(diskPath, ExpectedOnDisk(file), observedHash, proposalId),
                LedgerJsonContext.Default.ExternalChangeObservedPayload));
        }

        // Rebase every file that still has pending hunks; changed files onto the disk content.
        var revisedFiles = new List<ProposalFileRecord>();
        var conflicts = new List<string>();
        foreach (var (path, file) in files)
        {
            var pending = file.Record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Pending).ToList();
            if (pending.Count == 0)
            {
                continue;
            }

            if (!diskContent.TryGetValue(path, out var disk))
            {
                var (unchanged, unchangedBlobs) = Unchanged(file, pending);
                revisedFiles.Add(unchanged);
                blobs.AddRange(unchangedBlobs);
                continue;
            }

            var rebased = RebaseFile(file, pending, disk.State, disk.Bytes);
            if (rebased.Record is null)
            {
                conflicts.Add(rebased.Conflict!);
            }
            else
            {
                revisedFiles.Add(rebased.Record);
                blobs.AddRange(rebased.Blobs);
            }
        }

        return new ChangePlan(proposalId, lastEntrySeq, changedPaths, observed, observations, blobs, revisedFiles, conflicts);
    }

    /// <summary>Under the lock: records a plan for the proposal it was made for (the caller checked it is still current).</summary>
    private DecisionResult RecordChangePlan(ProposalState proposal, ChangePlan plan)
    {
        var observations = plan.Observations.ToList();
        if (plan.Conflicts.Count > 0)
        {
            var reason = $"Proposal {proposal.Id} is stale: {string.Join(" ", plan.Conflicts)} Nothing was written; ask the agent to read the file again and propose anew.";
            var keys = proposal.PendingHunkKeys;
            var rejection = new RejectionPayload(proposal.Id, proposal.Revision, keys, RejectionReason.StaleBase, reason, proposal.Staged.Agent, proposal.Staged.WritId,
                [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], CurrentPolicyHash);
            observations.Add(PendingEntry.Of(EntryKind.Rejection, "runtime", rejection, LedgerJsonContext.Default.RejectionPayload));
            Append(observations, plan.Blobs);
            return new DecisionResult(DecisionOutcome.Stale, proposal.Id, proposal.Revision, Error: new RuntimeError(RuntimeErrorCode.StaleBase, reason));
        }

        var nextRevision = proposal.Revision + 1;
        var revision = proposal.Staged with
        {
            Revision = nextRevision,
            RevisionReason = RevisionReasons.Rebased,
            Files = plan.RevisedFiles,
        };
        var (revisionEntry, hunkBlobs) = StagedPayloadCodec.Encode("runtime", revision);
        observations.Add(revisionEntry);
        Append(observations, [.. plan.Blobs, .. hunkBlobs]);
        var message = $"{string.Join(", ", plan.ChangedPaths.Select(p => "'" + p + "'"))} changed since proposal {proposal.Id} was made, in other lines. "
            + $"Its pending hunks were rebased onto the current text as revision {nextRevision}; review that revision.";
        return new DecisionResult(DecisionOutcome.Rebased, proposal.Id, nextRevision, Error: new RuntimeError(RuntimeErrorCode.RevisionMismatch, message));
    }

    /// <summary>The hash a proposal's file must have on disk: its current hash, or its base for a rename's source.</summary>
    private static string? ExpectedOnDisk(ProposalFileState file) => file.Record.Effect == "rename" ? file.Record.BaseHash : file.CurrentHash;

    /// <summary>A file untouched by the external change, re-expressed against its current content with only its pending hunks.</summary>
    private (ProposalFileRecord Record, IReadOnlyList<BlobWrite> Blobs) Unchanged(ProposalFileState file, IReadOnlyList<HunkRecord> pending)
    {
        if (file.IsWholeFile)
        {
            return (file.Record with { BaseHash = file.Record.Effect == "rename" ? file.Record.BaseHash : file.CurrentHash }, []);
        }

        var baseDocument = BaseDocument(file.Record);
        var dominant = baseDocument?.DominantLineEnding ?? "\n";
        var approved = file.Record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Approved).Select(ToAmended(file, dominant)).ToList();
        var currentLines = HunkApplier.Apply(baseDocument?.Lines ?? [], approved, dominant);
        var shifted = ThreeWayMerge.Shift([.. pending.Select(IntentCompiler.FromRecord)], approved);
        var resultText = HunkApplier.Join(HunkApplier.Apply(currentLines, shifted, dominant), dominant);
        var result = BlobWrite.Of(baseDocument is null ? System.Text.Encoding.UTF8.GetBytes(resultText) : baseDocument.Encode(resultText));
        var record = file.Record with
        {
            BaseHash = file.CurrentHash,
            ResultHash = result.Hash.ToString(),
            Hunks = [.. shifted.Select(IntentCompiler.ToRecord)],
            ChangedLines = shifted.Sum(h => h.RemovedLines.Count + h.AddedLines.Count),
        };
        return (record, [result]);
    }

    private (ProposalFileRecord? Record, IReadOnlyList<BlobWrite> Blobs, string? Conflict) RebaseFile(ProposalFileState file, IReadOnlyList<HunkRecord> pending, DiskState state, byte[]? disk)
    {
        var record = file.Record;
        if (state.IsTooLarge)
        {
            return (null, [], $"'{record.Path}' is now larger than the {WorkspaceDirectory.MaxFileBytes >> 20} MiB OpenThymos reads, so the proposal cannot be merged onto it.");
        }

        if (state.IsNotARegularFile)
        {
            return (null, [], $"'{record.Path}' is now a symbolic link, a folder or a special file (or a folder on its way is a link); OpenThymos never writes through links.");
        }

        if (file.IsWholeFile || disk is null || record.BaseHash is null)
        {
            var what = disk is null ? "was deleted" : "changed";
            return (null, [], $"'{record.Path}' {what}, and the proposal replaces it as a whole.");
        }

        var baseDocument = BaseDocument(record);
        var diskDocument = TextDocument.TryDecode(disk);
        if (baseDocument is null || diskDocument is null || diskDocument.Encoding != baseDocument.Encoding)
        {
            return (null, [], $"'{record.Path}' changed and is not text in the same encoding, so the proposal cannot be merged onto it.");
        }

        var approved = record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Approved).Select(ToAmended(file, baseDocument.DominantLineEnding)).ToList();
        var currentLines = HunkApplier.Apply(baseDocument.Lines, approved, baseDocument.DominantLineEnding);
        var shifted = ThreeWayMerge.Shift([.. pending.Select(IntentCompiler.FromRecord)], approved);
        var merge = ThreeWayMerge.Rebase(currentLines, diskDocument.Lines, shifted);
        if (!merge.IsClean)
        {
            var lines = string.Join(", ", merge.Conflicts.Select(c => $"hunk {c.Hunk.Id} (lines {c.Hunk.BaseStart + 1}-{c.Hunk.BaseStart + Math.Max(1, c.Hunk.BaseCount)}) overlaps lines changed at {c.ChangedStart + 1}-{c.ChangedStart + Math.Max(1, c.ChangedCount)}"));
            return (null, [], $"'{record.Path}' changed where the proposal edits it: {lines}.");
        }

        var resultText = HunkApplier.Join(HunkApplier.Apply(diskDocument.Lines, merge.Rebased, diskDocument.DominantLineEnding), diskDocument.DominantLineEnding);
        var resultBytes = diskDocument.Encode(resultText);
        var diskHash = ContentHash.Of(disk).ToString();
        var result = BlobWrite.Of(resultBytes);
        var revised = record with
        {
            BaseHash = diskHash,
            ResultHash = result.Hash.ToString(),
            Hunks = [.. merge.Rebased.Select(IntentCompiler.ToRecord)],
            ChangedLines = merge.Rebased.Sum(h => h.RemovedLines.Count + h.AddedLines.Count),
        };
        return (revised, [BlobWrite.Of(disk), result], null);
    }

    private static Func<HunkRecord, Hunk> ToAmended(ProposalFileState file, string dominant) => hunk =>
        file.HunkAmendments.TryGetValue(hunk.Id, out var text)
            ? new Hunk(hunk.Id, hunk.BaseStart, hunk.Removed, TextDocument.SplitLines(LineEndings.ToDominant(text, dominant)))
            : IntentCompiler.FromRecord(hunk);

    /// <summary>A pending proposal whose files changed on disk: a copy of its files as of its entry <paramref name="LastEntrySeq"/>, to plan against outside the lock.</summary>
    private sealed record ChangedProposal(string Id, long LastEntrySeq, IReadOnlyDictionary<string, ProposalFileState> Files, IReadOnlyList<string> Changed);

    /// <summary>
    /// What recording a change under a proposal will append: computed from a snapshot (<see cref="LastEntrySeq"/>)
    /// and the disk as read then, <see cref="Observed"/> (disk path → its state: missing, a file's hash, not a regular file, or too large).
    /// </summary>
    private sealed record ChangePlan(
        string ProposalId,
        long LastEntrySeq,
        IReadOnlyList<string> ChangedPaths,
        IReadOnlyDictionary<string, DiskState> Observed,
        IReadOnlyList<PendingEntry> Observations,
        IReadOnlyList<BlobWrite> Blobs,
        IReadOnlyList<ProposalFileRecord> RevisedFiles,
        IReadOnlyList<string> Conflicts);
}
