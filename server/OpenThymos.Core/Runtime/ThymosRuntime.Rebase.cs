// When files changed under a proposal: record the change, then rebase the proposal or mark it stale.
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
    /// </summary>
    public IReadOnlyList<DecisionResult> ObserveChangedFiles(IReadOnlyCollection<string>? paths = null)
    {
        return Run(() =>
        {
            var results = new List<DecisionResult>();
            var candidates = _state.Proposals.Values.Where(p => p.IsPending).OrderBy(p => p.FirstSeq).ToList();
            foreach (var proposal in candidates)
            {
                var changed = proposal.Files
                    .Where(f => f.Value.Hunks.Values.Any(s => s == HunkStatus.Pending))
                    .Where(f => paths is null || paths.Contains(DiskPathOf(f.Value)) || paths.Contains(f.Key))
                    .Select(f => f.Key)
                    .Where(path => ChangedOnDisk(proposal, path))
                    .ToList();
                if (changed.Count > 0)
                {
                    results.Add(HandleChangedFiles(proposal, changed));
                }
            }

            return results;
        });
    }

    /// <summary>True when the file a proposal would write no longer has the content the proposal was computed against.</summary>
    private bool ChangedOnDisk(ProposalState proposal, string path) =>
        ExpectedOnDisk(proposal, path) != _applier.HashOnDisk(DiskPathOf(proposal.Files[path]))
        || (proposal.Files[path].Record.Effect == "rename" && _applier.HashOnDisk(path) is not null);

    /// <summary>
    /// A human (or a tool) changed files since the proposal was computed. The change is ledgered as
    /// observed. If no pending hunk overlaps or touches the changed lines, the pending hunks are
    /// rebased (three-way) onto the new content as a new revision for review; otherwise the proposal
    /// is stale. Either way nothing is written: a human's newer edit is never overwritten.
    /// </summary>
    private DecisionResult HandleChangedFiles(ProposalState proposal, IReadOnlyList<string> changedPaths)
    {
        var observations = new List<PendingEntry>();
        var blobs = new List<BlobWrite>();
        var diskContent = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var path in changedPaths)
        {
            var file = proposal.Files[path];
            var diskPath = DiskPathOf(file);
            var bytes = _applier.ReadOnDisk(diskPath);
            diskContent[path] = bytes;
            string? observedHash = null;
            if (bytes is not null)
            {
                var blob = BlobWrite.Of(bytes);
                blobs.Add(blob);
                observedHash = blob.Hash.ToString();
            }

            observations.Add(PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime",
                new ExternalChangeObservedPayload(diskPath, ExpectedOnDisk(proposal, path), observedHash, proposal.Id),
                LedgerJsonContext.Default.ExternalChangeObservedPayload));
        }

        // Rebase every file that still has pending hunks; changed files onto the disk content.
        var revisedFiles = new List<ProposalFileRecord>();
        var conflicts = new List<string>();
        foreach (var (path, file) in proposal.Files)
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

            var rebased = RebaseFile(file, pending, disk);
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

        if (conflicts.Count > 0)
        {
            var reason = $"Proposal {proposal.Id} is stale: {string.Join(" ", conflicts)} Nothing was written; ask the agent to read the file again and propose anew.";
            var keys = proposal.PendingHunkKeys;
            var rejection = new RejectionPayload(proposal.Id, proposal.Revision, keys, RejectionReason.StaleBase, reason, proposal.Staged.Agent, proposal.Staged.WritId,
                [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], CurrentPolicyHash);
            observations.Add(PendingEntry.Of(EntryKind.Rejection, "runtime", rejection, LedgerJsonContext.Default.RejectionPayload));
            Append(observations, blobs);
            return new DecisionResult(DecisionOutcome.Stale, proposal.Id, proposal.Revision, Error: new RuntimeError(RuntimeErrorCode.StaleBase, reason));
        }

        var nextRevision = proposal.Revision + 1;
        var revision = proposal.Staged with
        {
            Revision = nextRevision,
            RevisionReason = RevisionReasons.Rebased,
            Files = revisedFiles,
        };
        var (revisionEntry, hunkBlobs) = StagedPayloadCodec.Encode("runtime", revision);
        observations.Add(revisionEntry);
        Append(observations, [.. blobs, .. hunkBlobs]);
        var message = $"{string.Join(", ", changedPaths.Select(p => "'" + p + "'"))} changed since proposal {proposal.Id} was made, in other lines. "
            + $"Its pending hunks were rebased onto the current text as revision {nextRevision}; review that revision.";
        return new DecisionResult(DecisionOutcome.Rebased, proposal.Id, nextRevision, Error: new RuntimeError(RuntimeErrorCode.RevisionMismatch, message));
    }

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

    private (ProposalFileRecord? Record, IReadOnlyList<BlobWrite> Blobs, string? Conflict) RebaseFile(ProposalFileState file, IReadOnlyList<HunkRecord> pending, byte[]? disk)
    {
        var record = file.Record;
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
}
