// A reviewer's amendment: the proposed text of one file replaced by the reviewer's, as a new revision.
using System.Text;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The three parts of <see cref="ThymosRuntime.Amend"/>: under the lock, <see cref="Snapshot"/> checks the proposal and
/// copies it; outside it, <see cref="Plan"/> computes the amended revision's files (the reviewer's text as the proposed
/// result, hunks recomputed against the file's current content, the other files' pending hunks unchanged); under it
/// again, <see cref="Record"/> stages the revision if the proposal has no newer entry. The retry loop is the façade's.
/// </summary>
internal sealed class ReviewerAmendment(FoldedLedger folded, DecisionChecks checks, ProposalFiles proposalFiles, IRuntimeMeter? meter)
{
    /// <summary>Under the lock: the checks that need the live state, and a copy of the proposal to compute the amendment from.</summary>
    public (AmendmentBase? Snapshot, DecisionResult? Refusal) Snapshot(AmendRequest request)
    {
        var (proposal, error) = checks.FindPending(request.ProposalId, request.Revision);
        if (error is not null)
        {
            return (null, DecisionChecks.Refused(request.ProposalId, proposal, error));
        }

        if (!proposal!.Files.TryGetValue(request.Path, out var target))
        {
            return (null, DecisionChecks.Refused(proposal.Id, proposal, new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                $"Proposal {proposal.Id} does not touch '{request.Path}', so it cannot be amended there. Open the diff of a file it changes.")));
        }

        if (!target.Hunks.Values.Any(s => s == HunkStatus.Pending))
        {
            return (null, DecisionChecks.Refused(proposal.Id, proposal, new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                $"Every hunk of '{request.Path}' in proposal {proposal.Id} is already decided; there is nothing left to amend.")));
        }

        if (target.IsWholeFile)
        {
            var what = target.Record.Binary ? "binary file" : target.Record.Effect;
            return (null, DecisionChecks.Refused(proposal.Id, proposal, new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                $"The proposal's change to '{request.Path}' is a {what}, which has no text to edit. Approve or reject it, and edit the file yourself.")));
        }

        var files = proposal.Files.Select(pair => (pair.Key, ProposalFiles.CopyOf(pair.Value))).ToList();
        return (new AmendmentBase(proposal.Id, proposal.Revision, proposal.LastEntrySeq, files), null);
    }

    /// <summary>
    /// Outside the lock: the amended revision's files (the reviewer's text as the proposed result of the amended file,
    /// the other files' pending hunks unchanged) and their blobs; null files when the text is what the revision
    /// already proposes.
    /// </summary>
    public (IReadOnlyList<ProposalFileRecord>? Files, IReadOnlyList<BlobWrite> Blobs, RuntimeError? Error) Plan(AmendRequest request, AmendmentBase snapshot)
    {
        meter?.Mark(RuntimeStep.AmendmentComputing, snapshot.Id);
        var target = snapshot.Files.First(f => f.Path == request.Path).File;
        var (amended, blobs, amendError) = AmendedFile(target, request.Text);
        if (amendError is not null || amended is null)
        {
            return (null, [], amendError);
        }

        var files = new List<ProposalFileRecord>();
        var allBlobs = new List<BlobWrite>(blobs);
        foreach (var (path, file) in snapshot.Files)
        {
            if (path == request.Path)
            {
                files.Add(amended);
                continue;
            }

            var pending = file.Record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Pending).ToList();
            if (pending.Count == 0)
            {
                continue;
            }

            var (unchanged, unchangedBlobs) = proposalFiles.Unchanged(file, pending);
            files.Add(unchanged);
            allBlobs.AddRange(unchangedBlobs);
        }

        return (files, allBlobs, null);
    }

    /// <summary>
    /// Under the lock: stages the amended revision with the reviewer as actor, or returns null when the proposal was
    /// decided, revised or amended since <paramref name="snapshot"/> (the caller computes again from the state as it is now).
    /// </summary>
    public DecisionResult? Record(AmendRequest request, AmendmentBase snapshot, IReadOnlyList<ProposalFileRecord> files, IReadOnlyList<BlobWrite> blobs)
    {
        if (!folded.State.Proposals.TryGetValue(snapshot.Id, out var proposal) || proposal.LastEntrySeq != snapshot.LastEntrySeq)
        {
            return null; // decided, revised or amended meanwhile: start again from the state as it is now
        }

        var nextRevision = proposal.Revision + 1;
        var revision = proposal.Staged with { Revision = nextRevision, RevisionReason = RevisionReasons.Amended, Files = files };
        var (entry, hunkBlobs) = StagedPayloadCodec.Encode(request.Actor, revision);
        folded.Append([entry], [.. blobs, .. hunkBlobs]);
        return new DecisionResult(DecisionOutcome.Amended, proposal.Id, nextRevision);
    }

    /// <summary>
    /// The file record of the amended revision: based on the content the file has now (the base plus
    /// the hunks approved so far), proposing exactly <paramref name="text"/> in the file's encoding.
    /// Null (and no error) when the text equals what the current revision already proposes.
    /// </summary>
    private (ProposalFileRecord? Record, IReadOnlyList<BlobWrite> Blobs, RuntimeError? Error) AmendedFile(ProposalFileState file, string text)
    {
        var record = file.Record;
        TextDocument? current = null;
        byte[]? currentBytes = null;
        if (file.CurrentHash is not null)
        {
            currentBytes = folded.Ledger.ReadBlob(ContentHash.Parse(file.CurrentHash))
                ?? throw new InvalidDataException($"The ledger lacks the blob {file.CurrentHash[..12]} of '{record.Path}'. Run verify.");
            current = TextDocument.TryDecode(currentBytes);
            if (current is null)
            {
                return (null, [], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"'{record.Path}' is not text, so the proposal cannot be amended with text."));
            }
        }

        byte[] resultBytes;
        try
        {
            resultBytes = current is null ? Encoding.UTF8.GetBytes(text) : current.Encode(text);
        }
        catch (TextEncodingException exception)
        {
            return (null, [], new RuntimeError(RuntimeErrorCode.SelectionInvalid, $"The amended text of '{record.Path}' cannot be saved in the file's encoding: {exception.Message} Remove those characters and save again."));
        }

        var resultHash = ContentHash.Of(resultBytes).ToString();
        var pendingResult = PendingResultHash(file);
        if (resultHash == pendingResult)
        {
            return (null, [], null);
        }

        if (currentBytes is not null && resultBytes.AsSpan().SequenceEqual(currentBytes))
        {
            return (null, [], new RuntimeError(RuntimeErrorCode.SelectionInvalid,
                $"The amended text of '{record.Path}' equals the file as it is now, so the proposal would change nothing there. Reject the proposal (or its hunks in '{record.Path}') instead."));
        }

        var baseLines = current?.Lines ?? [];
        var computed = HunkComputer.Compute(baseLines, TextDocument.SplitLines(text));
        var firstId = record.Hunks.Select(h => int.TryParse(h.Id.AsSpan(1), out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;

        // New ids continue after the file's old ones, so a hunk id never names two different changes in one proposal.
        var hunks = computed.Select((h, i) => IntentCompiler.ToRecord(h with { Id = "h" + (firstId + i).ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        var amended = record with
        {
            BaseHash = file.CurrentHash,
            ResultHash = resultHash,
            Hunks = hunks,
            ChangedLines = computed.Sum(h => h.RemovedLines.Count + h.AddedLines.Count),
        };
        var blobs = new List<BlobWrite> { BlobWrite.Of(resultBytes) };
        if (currentBytes is not null)
        {
            blobs.Add(BlobWrite.Of(currentBytes));
        }

        return (amended, blobs, null);
    }

    /// <summary>The hash of the file if every pending hunk of the current revision were approved.</summary>
    private string? PendingResultHash(ProposalFileState file)
    {
        var record = file.Record;
        if (file.Hunks.Values.All(s => s is HunkStatus.Pending or HunkStatus.Approved))
        {
            return record.ResultHash;
        }

        // Some hunks were rejected: the result is the base with only approved and pending hunks.
        var document = proposalFiles.BaseDocument(record);
        var dominant = document?.DominantLineEnding ?? "\n";
        var hunks = record.Hunks.Where(h => file.Hunks[h.Id] is HunkStatus.Pending or HunkStatus.Approved).Select(ProposalFiles.ToAmended(file, dominant));
        var text = HunkApplier.Join(HunkApplier.Apply(document?.Lines ?? [], hunks, dominant), dominant);
        return ContentHash.Of(document is null ? Encoding.UTF8.GetBytes(text) : document.Encode(text)).ToString();
    }
}

/// <summary>A copy of a pending proposal (its files, in the proposal's order) as of its entry <paramref name="LastEntrySeq"/>.</summary>
internal sealed record AmendmentBase(string Id, int Revision, long LastEntrySeq, IReadOnlyList<(string Path, ProposalFileState File)> Files);
