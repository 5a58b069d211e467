// When files changed under pending proposals: snapshot them under the lock, plan the rebase (or staleness) outside it, record it under it.
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The three parts of handling a change made on disk under a pending proposal (by a watcher's observation, an approval
/// or an auto-approval that found its files changed): under the lock, <see cref="FindChanged"/> and
/// <see cref="SnapshotOf"/> copy the proposals whose files changed; outside it, <see cref="Plan"/> records the change as
/// observed and rebases the proposal three-way onto the new content, or finds it stale; under it again,
/// <see cref="IsStillCurrent"/> and <see cref="Record"/> record a plan only if nothing overtook it. The retry loop is the
/// façade's (<see cref="ThymosRuntime.ObserveChangedFiles"/>). Nothing is written to the workspace: a human's newer edit
/// is never overwritten.
/// </summary>
internal sealed class ChangedFileRebase(FoldedLedger folded, ProposalFiles proposalFiles, AtomicApplier applier, PolicyGate policy, IRuntimeMeter? meter)
{
    /// <summary>Under the lock: a copy of the proposal's files that later decisions do not change, to plan against outside it.</summary>
    public static ChangedProposal SnapshotOf(ProposalState proposal, IReadOnlyList<string> changed) =>
        new(proposal.Id, proposal.LastEntrySeq, proposal.Files.ToDictionary(pair => pair.Key, pair => ProposalFiles.CopyOf(pair.Value), StringComparer.Ordinal), changed);

    /// <summary>Under the lock: each pending proposal with files changed on disk among <paramref name="paths"/> (all when null), with a copy of its files to plan against outside the lock.</summary>
    public List<ChangedProposal> FindChanged(IReadOnlyCollection<string>? paths) =>
        [.. folded.State.Proposals.Values.Where(p => p.IsPending).OrderBy(p => p.FirstSeq).Select(p => SnapshotIfChanged(p, paths)).OfType<ChangedProposal>()];

    /// <summary>Under the lock: the proposal's files (a copy) and which of them changed on disk, or null when none did.</summary>
    public ChangedProposal? SnapshotIfChanged(ProposalState proposal, IReadOnlyCollection<string>? paths)
    {
        var changed = ChangedPathsOf(proposal, paths);
        return changed.Count == 0 ? null : SnapshotOf(proposal, changed);
    }

    /// <summary>Under the lock: the proposal has no entry newer than the plan's snapshot and each changed file still hashes as it was read.</summary>
    public bool IsStillCurrent(ProposalState proposal, ChangePlan plan) =>
        proposal.LastEntrySeq == plan.LastEntrySeq
        && plan.Observed.All(observed => applier.StateOnDisk(observed.Key) == observed.Value);

    /// <summary>
    /// A human (or a tool) changed files since the proposal was computed: the entries that record the change as
    /// observed and then rebase the proposal (three-way, onto the new content, as a new revision for review) or
    /// mark it stale (a pending hunk overlaps or touches the changed lines). Computed outside the lock from a copy
    /// of the proposal's files (<paramref name="changed"/>) and the disk as read now; reads the ledger's blobs and the disk,
    /// writes nothing.
    /// </summary>
    public ChangePlan Plan(ChangedProposal changed)
    {
        var (proposalId, lastEntrySeq, files, changedPaths) = (changed.Id, changed.LastEntrySeq, changed.Files, changed.Changed);
        meter?.Mark(RuntimeStep.RebaseComputing, proposalId);
        var observations = new List<PendingEntry>();
        var blobs = new List<BlobWrite>();
        var observed = new Dictionary<string, DiskState>(StringComparer.Ordinal);
        var diskContent = new Dictionary<string, (DiskState State, byte[]? Bytes)>(StringComparer.Ordinal);
        foreach (var path in changedPaths)
        {
            var file = files[path];
            var diskPath = ProposalFiles.DiskPathOf(file);
            string? observedHash = null;
            DiskState state;
            byte[]? bytes = null;
            try
            {
                bytes = applier.ReadOnDisk(diskPath);
                if (bytes is null)
                {
                    state = applier.StateOnDisk(diskPath); // missing, or a link or special file (never read)
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
                observedHash = applier.HashOnDiskWithoutLimit(diskPath);
            }

            diskContent[path] = (state, bytes);
            observed[diskPath] = state;
            observations.Add(PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime",
                new ExternalChangeObservedPayload(diskPath, ProposalFiles.ExpectedOnDisk(file), observedHash, proposalId),
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
                var (unchanged, unchangedBlobs) = proposalFiles.Unchanged(file, pending);
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
    public DecisionResult Record(ProposalState proposal, ChangePlan plan)
    {
        var observations = plan.Observations.ToList();
        if (plan.Conflicts.Count > 0)
        {
            var reason = $"Proposal {proposal.Id} is stale: {string.Join(" ", plan.Conflicts)} Nothing was written; ask the agent to read the file again and propose anew.";
            var keys = proposal.PendingHunkKeys;
            var rejection = new RejectionPayload(proposal.Id, proposal.Revision, keys, RejectionReason.StaleBase, reason, proposal.Staged.Agent, proposal.Staged.WritId,
                [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], policy.CurrentHash);
            observations.Add(PendingEntry.Of(EntryKind.Rejection, "runtime", rejection, LedgerJsonContext.Default.RejectionPayload));
            folded.Append(observations, plan.Blobs);
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
        folded.Append(observations, [.. plan.Blobs, .. hunkBlobs]);
        var message = $"{string.Join(", ", plan.ChangedPaths.Select(p => "'" + p + "'"))} changed since proposal {proposal.Id} was made, in other lines. "
            + $"Its pending hunks were rebased onto the current text as revision {nextRevision}; review that revision.";
        return new DecisionResult(DecisionOutcome.Rebased, proposal.Id, nextRevision, Error: new RuntimeError(RuntimeErrorCode.RevisionMismatch, message));
    }

    /// <summary>The files of a proposal, among <paramref name="paths"/> (all when null), with pending hunks and a different content on disk.</summary>
    private List<string> ChangedPathsOf(ProposalState proposal, IReadOnlyCollection<string>? paths) =>
        [.. proposal.Files
            .Where(f => f.Value.Hunks.Values.Any(s => s == HunkStatus.Pending))
            .Where(f => paths is null || paths.Contains(ProposalFiles.DiskPathOf(f.Value)) || paths.Contains(f.Key))
            .Select(f => f.Key)
            .Where(path => proposalFiles.ChangedOnDisk(proposal, path))];

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

        var baseDocument = proposalFiles.BaseDocument(record);
        var diskDocument = TextDocument.TryDecode(disk);
        if (baseDocument is null || diskDocument is null || diskDocument.Encoding != baseDocument.Encoding)
        {
            return (null, [], $"'{record.Path}' changed and is not text in the same encoding, so the proposal cannot be merged onto it.");
        }

        var approved = record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Approved).Select(ProposalFiles.ToAmended(file, baseDocument.DominantLineEnding)).ToList();
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
}

/// <summary>A pending proposal whose files changed on disk: a copy of its files as of its entry <paramref name="LastEntrySeq"/>, to plan against outside the lock.</summary>
internal sealed record ChangedProposal(string Id, long LastEntrySeq, IReadOnlyDictionary<string, ProposalFileState> Files, IReadOnlyList<string> Changed);

/// <summary>
/// What recording a change under a proposal will append: computed from a snapshot (<see cref="LastEntrySeq"/>)
/// and the disk as read then, <see cref="Observed"/> (disk path → its state: missing, a file's hash, not a regular file, or too large).
/// </summary>
internal sealed record ChangePlan(
    string ProposalId,
    long LastEntrySeq,
    IReadOnlyList<string> ChangedPaths,
    IReadOnlyDictionary<string, DiskState> Observed,
    IReadOnlyList<PendingEntry> Observations,
    IReadOnlyList<BlobWrite> Blobs,
    IReadOnlyList<ProposalFileRecord> RevisedFiles,
    IReadOnlyList<string> Conflicts);
