// Everything the runtime knows, folded from the ledger entry by entry; the ledger is the only source of truth.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The fold of a ledger: writs and their usage, proposals and their decisions, approvals not yet
/// carried out, the world (path → content hash after commits) and the last known state of each file.
/// The runtime rebuilds it at open and applies each entry it appends, so a restart loses nothing.
/// </summary>
public sealed class RuntimeState
{
    private readonly Dictionary<string, WritState> _writs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProposalState> _proposals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string WritId, string Nonce), (string Digest, string ProposalId)> _nonces = [];
    private readonly Dictionary<long, ApprovalPayload> _inFlight = [];
    private readonly Dictionary<string, string?> _world = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _lastKnown = new(StringComparer.Ordinal);
    private readonly Dictionary<long, LedgerEntry> _commits = [];

    /// <summary>Writs by id.</summary>
    public IReadOnlyDictionary<string, WritState> Writs => _writs;

    /// <summary>Proposals by id.</summary>
    public IReadOnlyDictionary<string, ProposalState> Proposals => _proposals;

    /// <summary>Approvals (by seq) whose commit or failure is not yet recorded: only non-empty after a crash.</summary>
    public IReadOnlyDictionary<long, ApprovalPayload> InFlightApprovals => _inFlight;

    /// <summary>Path → content hash (null = deleted) as the commits left it.</summary>
    public IReadOnlyDictionary<string, string?> World => _world;

    /// <summary>Path → content hash as last seen by the ledger (commits and observed external changes).</summary>
    public IReadOnlyDictionary<string, string?> LastKnown => _lastKnown;

    /// <summary>Commit and revert entries by seq.</summary>
    public IReadOnlyDictionary<long, LedgerEntry> Commits => _commits;

    /// <summary>The hash of the policy most recently recorded, or null before the first.</summary>
    public string? PolicyHash { get; private set; }

    /// <summary>The seq of the last entry folded.</summary>
    public long Seq { get; private set; }

    /// <summary>The proposal (and digest) a nonce was used for under a writ, if any.</summary>
    public (string Digest, string ProposalId)? NonceUse(string writId, string nonce) =>
        _nonces.TryGetValue((writId, nonce), out var use) ? use : null;

    /// <summary>A pending proposal by the same agent with the same intent digest, if any.</summary>
    public ProposalState? PendingDuplicate(string agent, string digest) =>
        _proposals.Values.FirstOrDefault(p => p.Staged.Agent == agent && p.Staged.IntentDigest == digest && p.IsPending);

    /// <summary>Folds one entry into the state. Entries must come in seq order.</summary>
    public void Apply(LedgerEntry entry)
    {
        Seq = entry.Seq;
        var at = entry.Time;
        switch (entry.Kind)
        {
            case EntryKind.WritIssued:
                var issued = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritIssuedPayload);
                var writ = WritState.FromPayload(issued, entry.Seq);
                _writs[writ.Id] = writ;
                break;
            case EntryKind.WritRevoked:
                var revoked = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritRevokedPayload);
                foreach (var id in revoked.Cascade.Prepend(revoked.WritId))
                {
                    if (_writs.TryGetValue(id, out var state))
                    {
                        state.RevokedAtSeq = entry.Seq;
                        state.RevocationReason = revoked.Reason;
                    }
                }

                break;
            case EntryKind.ProposalStaged:
                ApplyStaged(WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload), entry.Seq, at);
                break;
            case EntryKind.Approval:
                var approval = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ApprovalPayload);
                _inFlight[entry.Seq] = approval;
                if (_proposals.TryGetValue(approval.ProposalId, out var approved))
                {
                    approved.UpdatedAt = at;
                    foreach (var key in approval.Hunks)
                    {
                        SetHunk(approved, key, HunkStatus.Approved);
                    }

                    foreach (var amendment in approval.Amendments.Where(a => a.HunkId is not null))
                    {
                        if (approved.Files.TryGetValue(amendment.Path, out var file))
                        {
                            file.HunkAmendments[amendment.HunkId!] = amendment.Text;
                        }
                    }
                }

                break;
            case EntryKind.Rejection:
                var rejection = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
                if (rejection.ProposalId is not null && _proposals.TryGetValue(rejection.ProposalId, out var rejected))
                {
                    rejected.UpdatedAt = at;
                    rejected.LastReason = rejection.Reason;
                    foreach (var key in rejection.Hunks)
                    {
                        SetHunk(rejected, key, HunkStatus.Rejected);
                    }

                    if (rejection.ReasonCode == RejectionReason.StaleBase)
                    {
                        rejected.IsStale = true;
                    }
                }

                break;
            case EntryKind.Commit:
                var commit = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload);
                _commits[entry.Seq] = entry;
                _inFlight.Remove(commit.ApprovalSeq);
                ApplyFiles(commit.Files);
                if (_proposals.TryGetValue(commit.ProposalId, out var committed))
                {
                    committed.UpdatedAt = at;
                    foreach (var file in commit.Files)
                    {
                        if (committed.Files.TryGetValue(file.Path, out var state))
                        {
                            state.CurrentHash = file.After;
                        }
                    }
                }

                break;
            case EntryKind.ExecutionFailed:
                var failure = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExecutionFailedPayload);
                if (_inFlight.Remove(failure.ApprovalSeq, out var failedApproval) && _proposals.TryGetValue(failure.ProposalId, out var failedProposal))
                {
                    failedProposal.UpdatedAt = at;
                    failedProposal.LastReason = failure.Reason;
                    foreach (var key in failedApproval.Hunks)
                    {
                        SetHunk(failedProposal, key, HunkStatus.Failed);
                    }
                }

                break;
            case EntryKind.Revert:
                _commits[entry.Seq] = entry;
                var revert = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload);
                _inFlight.Remove(revert.ApprovalSeq);
                ApplyFiles(revert.Files);
                break;
            case EntryKind.ExternalChangeObserved:
                var observed = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExternalChangeObservedPayload);
                _lastKnown[observed.Path] = observed.Observed;
                break;
            case EntryKind.PolicyChanged:
                PolicyHash = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload).Hash;
                break;
            default:
                break;
        }
    }

    private void ApplyStaged(ProposalStagedPayload staged, long seq, DateTimeOffset at)
    {
        if (_proposals.TryGetValue(staged.ProposalId, out var existing))
        {
            existing.Revise(staged, seq, at);
            return;
        }

        _proposals[staged.ProposalId] = new ProposalState(staged, seq, at);
        _nonces[(staged.WritId, staged.Nonce)] = (staged.IntentDigest, staged.ProposalId);
        if (_writs.TryGetValue(staged.WritId, out var writ))
        {
            writ.ProposalsStaged++;
            foreach (var file in staged.Files)
            {
                writ.FilesTouched.Add(file.Path);
                if (file.FromPath is not null)
                {
                    writ.FilesTouched.Add(file.FromPath);
                }

                writ.BytesProposed += file.Hunks.Sum(h => h.Added.Sum(line => (long)System.Text.Encoding.UTF8.GetByteCount(line)));
            }
        }
    }

    private void ApplyFiles(IReadOnlyList<FileChangeRecord> files)
    {
        foreach (var file in files)
        {
            _world[file.Path] = file.After;
            _lastKnown[file.Path] = file.After;
        }
    }

    private static void SetHunk(ProposalState proposal, string key, HunkStatus status)
    {
        var (path, hunkId) = HunkKey.Split(key);
        if (proposal.Files.TryGetValue(path, out var file) && file.Hunks.ContainsKey(hunkId))
        {
            file.Hunks[hunkId] = status;
        }
    }
}
