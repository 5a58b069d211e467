// What every decision checks under the lock: the proposal is pending at the revision named, and the hunks are pending and the ones the reviewer saw.
using OpenThymos.Core.Apply;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The checks an approval, a rejection and an amendment make first, under the lock, against the state folded so far, and
/// the messages that tell the reviewer what to do when one fails (reload the revision, approve a named revision, wait for
/// recovery to write a commit's files). Reads the state and the disk; records nothing.
/// </summary>
internal sealed class DecisionChecks(FoldedLedger folded, AtomicApplier applier, DeferredFileSync fileSync)
{
    /// <summary>A refused decision on <paramref name="proposalId"/> (at the proposal's revision when there is one).</summary>
    public static DecisionResult Refused(string proposalId, ProposalState? proposal, RuntimeError error) =>
        new(DecisionOutcome.Refused, proposalId, proposal?.Revision ?? 0, Error: error);

    /// <summary>
    /// What a decision (<paramref name="verb"/>: approve or reject) acts on: the pending proposal at the revision named,
    /// the hunks its selection resolves to, each the one the reviewer saw; or the refusal to answer with.
    /// </summary>
    public (ProposalState? Proposal, IReadOnlyList<string> Keys, DecisionResult? Refusal) FindDecidable(
        string proposalId, int revision, HunkSelection selection, IReadOnlyDictionary<string, string>? digests, string verb)
    {
        var (proposal, error) = FindPending(proposalId, revision);
        if (error is not null)
        {
            return (proposal, [], Refused(proposalId, proposal, error));
        }

        var (keys, selectionError) = ResolveSelection(proposal!, selection);
        var refusal = selectionError ?? CheckReviewed(proposal!, keys, digests, verb);
        return refusal is null ? (proposal, keys, null) : (proposal, [], Refused(proposalId, proposal, refusal));
    }

    /// <summary>The pending proposal a decision names at <paramref name="revision"/>, or why it cannot be decided (not found, another revision, stale, decided).</summary>
    public (ProposalState? Proposal, RuntimeError? Error) FindPending(string proposalId, int revision)
    {
        if (!folded.State.Proposals.TryGetValue(proposalId, out var proposal))
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

    /// <summary>
    /// Checks that the hunks a decision covers are the ones the reviewer saw: with digests, every hunk being decided must be
    /// named, and every named hunk must exist in this revision with the same content digest.
    /// </summary>
    public static RuntimeError? CheckReviewed(ProposalState proposal, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string>? digests, string verb)
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

    /// <summary>The pending hunk keys a selection names (all, whole files, or hunks), or why it names something that is not pending.</summary>
    public static (IReadOnlyList<string> Keys, RuntimeError? Error) ResolveSelection(ProposalState proposal, HunkSelection selection)
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
        var notWritten = files.Where(f => !applier.StateOnDisk(f.Path).Is(f.After)).Select(f => "'" + f.Path + "'").ToList();
        if (notWritten.Count == 0)
        {
            return $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq} and its files are written. Nothing more to do.";
        }

        var mark = fileSync.ReadMark();
        return mark is null || mark < seq
            ? $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq}, but {string.Join(", ", notWritten)} {(notWritten.Count == 1 ? "is" : "are")} not written yet (the process stopped before moving {(notWritten.Count == 1 ? "it" : "them")} into place). Recovery writes {(notWritten.Count == 1 ? "it" : "them")} from the ledger when the sidecar restarts; do not approve again."
            : $"Proposal {proposal.Id} revision {proposal.Revision} is already {status}: it was committed at entry {seq}, and {string.Join(", ", notWritten)} changed on disk since. Run thymos drift to see how.";
    }

    /// <summary>The seq and file changes of the newest commit of a proposal, or null when it has none.</summary>
    private (long Seq, IReadOnlyList<FileChangeRecord> Files)? LastCommitOf(string proposalId)
    {
        foreach (var seq in folded.State.Commits.Keys.OrderDescending())
        {
            var entry = folded.State.Commits[seq];
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
}
