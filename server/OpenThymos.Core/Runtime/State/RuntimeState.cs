// Everything the runtime knows, folded from the ledger entry by entry; the ledger is the only source of truth.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// The fold of a ledger: writs and their usage, proposals and their decisions, approvals not yet
/// carried out, the world (path → content hash after commits) and the last known state of each file.
/// The runtime rebuilds it at open and applies each entry it appends, so a restart loses nothing.
/// Folded with a <see cref="LedgerLookup"/> (as the runtime does) it keeps in memory only what
/// decisions need: pending and in-flight proposals, the <see cref="RetainedDecidedProposals"/> most
/// recently decided ones, and seqs (not entries) for decided proposals, used nonces and commits,
/// which it reads back from the ledger when asked. Without one it keeps everything.
/// </summary>
public sealed class RuntimeState
{
    /// <summary>How many decided proposals stay in memory (and in listings) when the state reads back from the ledger.</summary>
    public const int RetainedDecidedProposals = 200;

    private readonly LedgerLookup? _lookup;
    private readonly Func<ContentHash, byte[]?>? _readBlob;
    private readonly Dictionary<string, WritState> _writs = new(StringComparer.Ordinal);
    private readonly ProposalDictionary _proposals;
    private readonly IntentIndex _intents = new();
    private readonly Dictionary<(string WritId, string Nonce), (string Digest, string ProposalId)> _nonces = [];
    private readonly SeqIndex _nonceSeqs = new();
    private readonly SeqIndex _decided = new();
    private readonly Queue<string> _recentlyDecided = new();
    private readonly Dictionary<long, ApprovalPayload> _inFlight = [];
    private readonly Dictionary<string, string?> _world = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _lastKnown = new(StringComparer.Ordinal);
    private readonly CommitDictionary _commits;
    private readonly Dictionary<string, AscendingSeqList> _commitsByPath = new(StringComparer.Ordinal);

    /// <summary>A state that keeps every proposal and commit in memory.</summary>
    public RuntimeState()
        : this(null)
    {
    }

    /// <summary>A state that reads decided proposals, nonce uses and commits back through <paramref name="lookup"/> (null: keep everything).</summary>
    public RuntimeState(LedgerLookup? lookup)
        : this(lookup, lookup?.ReadBlob)
    {
    }

    /// <summary>
    /// As <see cref="RuntimeState(LedgerLookup?)"/>, reading the hunk blobs of format-2 <c>proposal.staged</c> payloads
    /// through <paramref name="readBlob"/> (a state without one folds only format-1 payloads).
    /// </summary>
    public RuntimeState(LedgerLookup? lookup, Func<ContentHash, byte[]?>? readBlob)
    {
        _lookup = lookup;
        _readBlob = readBlob;
        _proposals = new ProposalDictionary(LoadDecided);
        _commits = new CommitDictionary(lookup);
    }

    /// <summary>Writs by id.</summary>
    public IReadOnlyDictionary<string, WritState> Writs => _writs;

    /// <summary>
    /// Proposals by id. A lookup finds any proposal; enumerating lists those kept in memory (all of
    /// them without a <see cref="LedgerLookup"/>; otherwise pending, in-flight and recently decided ones).
    /// </summary>
    public IReadOnlyDictionary<string, ProposalState> Proposals => _proposals;

    /// <summary>Approvals (by seq) whose commit or failure is not yet recorded: only non-empty after a crash.</summary>
    public IReadOnlyDictionary<long, ApprovalPayload> InFlightApprovals => _inFlight;

    /// <summary>Path → content hash (null = deleted) as the commits left it.</summary>
    public IReadOnlyDictionary<string, string?> World => _world;

    /// <summary>Path → content hash as last seen by the ledger (commits and observed external changes).</summary>
    public IReadOnlyDictionary<string, string?> LastKnown => _lastKnown;

    /// <summary>Commit and revert entries by seq.</summary>
    public IReadOnlyDictionary<long, LedgerEntry> Commits => _commits;

    /// <summary>The seqs of commits and reverts after <paramref name="afterSeq"/> that changed <paramref name="path"/>, ascending.</summary>
    public IReadOnlyList<long> CommitsTouching(string path, long afterSeq) =>
        _commitsByPath.TryGetValue(path, out var seqs) ? [.. seqs.After(afterSeq)] : [];

    /// <summary>The hash of the policy most recently recorded, or null before the first.</summary>
    public string? PolicyHash { get; private set; }

    /// <summary>The seq of the last entry folded.</summary>
    public long Seq { get; private set; }

    /// <summary>The proposal (and digest) a nonce was used for under a writ, if any.</summary>
    public (string Digest, string ProposalId)? NonceUse(string writId, string nonce)
    {
        if (_lookup is null)
        {
            return _nonces.TryGetValue((writId, nonce), out var use) ? use : null;
        }

        var key = NonceKey(writId, nonce);
        var range = _nonceSeqs.Get(key, r => StagedAt(r.First) is { } staged && NonceKey(staged.WritId, staged.Nonce) == key);
        return range is { } found && StagedAt(found.First) is { } first ? (first.IntentDigest, first.ProposalId) : null;
    }

    /// <summary>A pending proposal by the same agent with the same intent digest, if any.</summary>
    public ProposalState? PendingDuplicate(string agent, string digest) =>
        _intents.Find(agent, digest)
            .Select(id => _proposals.Live.GetValueOrDefault(id))
            .Where(p => p is not null && p.Staged.Agent == agent && p.Staged.IntentDigest == digest && p.IsPending)
            .MinBy(p => p!.FirstSeq);

    /// <summary>Folds one entry into the state. Entries must come in seq order.</summary>
    /// <returns>The id of the proposal the entry is about (staging, approval, rejection, commit, failed execution), or null.</returns>
    public string? Apply(LedgerEntry entry)
    {
        Seq = entry.Seq;
        var at = entry.Time;
        string? touchedId = null;
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
                var staged = StagedPayloadCodec.Decode(entry, _readBlob);
                ApplyStaged(staged, entry.Seq, at);
                touchedId = staged.ProposalId;
                break;
            case EntryKind.Approval:
                var approval = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ApprovalPayload);
                _inFlight[entry.Seq] = approval;
                touchedId = approval.ProposalId;
                if (Live(approval.ProposalId) is { } approved)
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
                touchedId = rejection.ProposalId;
                if (rejection.ProposalId is not null && Live(rejection.ProposalId) is { } rejected)
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
                _commits.Add(entry);
                touchedId = commit.ProposalId;
                _inFlight.Remove(commit.ApprovalSeq);
                ApplyFiles(commit.Files, entry.Seq);
                if (Live(commit.ProposalId) is { } committed)
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
                touchedId = failure.ProposalId;
                if (_inFlight.Remove(failure.ApprovalSeq, out var failedApproval) && Live(failure.ProposalId) is { } failedProposal)
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
                _commits.Add(entry);
                var revert = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload);
                _inFlight.Remove(revert.ApprovalSeq);
                ApplyFiles(revert.Files, entry.Seq);
                break;
            case EntryKind.ExternalChangeObserved:
                var observed = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExternalChangeObservedPayload);
                _lastKnown[observed.Path] = observed.Observed;
                break;
            case EntryKind.PolicyChanged:
                PolicyHash = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload).Hash;
                break;
            case EntryKind.Genesis:
            case EntryKind.RollbackAccepted:
                // Nothing in the runtime's state follows from these.
                break;
            default:
                // A kind of a newer format: the runtime does not fold what it does not know. Every kind of
                // EntryKindRegistry has a case above (EntryKindRegistryTests holds this switch to it).
                break;
        }

        if (touchedId is not null)
        {
            Touched(touchedId, entry.Seq);
        }

        return touchedId;
    }

    private void ApplyStaged(ProposalStagedPayload staged, long seq, DateTimeOffset at)
    {
        if (Live(staged.ProposalId) is { } existing)
        {
            _intents.Remove(existing.Staged.Agent, existing.Staged.IntentDigest, existing.Id);
            existing.Revise(staged, seq, at);
            _intents.Add(existing.Staged.Agent, existing.Staged.IntentDigest, existing.Id);
            return;
        }

        _proposals.Live[staged.ProposalId] = new ProposalState(staged, seq, at);
        _intents.Add(staged.Agent, staged.IntentDigest, staged.ProposalId);
        if (_lookup is null)
        {
            _nonces[(staged.WritId, staged.Nonce)] = (staged.IntentDigest, staged.ProposalId);
        }
        else
        {
            var key = NonceKey(staged.WritId, staged.Nonce);
            _nonceSeqs.Set(key, seq, seq, r => StagedAt(r.First) is { } other && NonceKey(other.WritId, other.Nonce) == key);
        }

        // Budgets are charged up the writ chain: work under a delegated writ counts against every writ it descends from.
        var bytes = staged.Files.Sum(file => file.Hunks.Sum(h => h.Added.Sum(line => (long)System.Text.Encoding.UTF8.GetByteCount(line))));
        foreach (var writ in WritChain(staged.WritId))
        {
            writ.ProposalsStaged++;
            foreach (var file in staged.Files)
            {
                writ.FilesTouched.Add(file.Path);
                if (file.FromPath is not null)
                {
                    writ.FilesTouched.Add(file.FromPath);
                }
            }

            writ.BytesProposed += bytes;
        }
    }

    /// <summary>
    /// A writ followed by the writs it was delegated from, nearest first (at most 64, so a damaged ledger with a parent cycle
    /// cannot loop); empty for an unknown writ.
    /// </summary>
    internal IReadOnlyList<WritState> WritChain(string writId)
    {
        var chain = new List<WritState>();
        var id = writId;
        while (id is not null && chain.Count < 64 && _writs.TryGetValue(id, out var writ) && !chain.Contains(writ))
        {
            chain.Add(writ);
            id = writ.Writ.ParentId;
        }

        return chain;
    }

    private void ApplyFiles(IReadOnlyList<FileChangeRecord> files, long seq)
    {
        foreach (var file in files)
        {
            _world[file.Path] = file.After;
            _lastKnown[file.Path] = file.After;
            if (!_commitsByPath.TryGetValue(file.Path, out var seqs))
            {
                _commitsByPath[file.Path] = seqs = new AscendingSeqList();
            }

            seqs.Append(seq);
        }
    }

    private static string NonceKey(string writId, string nonce) => writId + "\n" + nonce;

    /// <summary>The staged payload at a seq, or null when that entry is not a staging.</summary>
    private ProposalStagedPayload? StagedAt(long seq) =>
        _lookup!.Read(seq) is { Kind: EntryKind.ProposalStaged } entry ? WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload) : null;

    /// <summary>A proposal in memory, bringing a decided one back from the ledger first when an entry is about it again.</summary>
    private ProposalState? Live(string proposalId)
    {
        if (_proposals.Live.TryGetValue(proposalId, out var proposal))
        {
            return proposal;
        }

        proposal = LoadDecided(proposalId);
        if (proposal is not null)
        {
            _decided.Remove(proposalId, r => StagedAt(r.First)?.ProposalId == proposalId);
            _proposals.Live[proposalId] = proposal;
            _intents.Add(proposal.Staged.Agent, proposal.Staged.IntentDigest, proposal.Id);
        }

        return proposal;
    }

    /// <summary>After an entry about a proposal: once it is decided and nothing is in flight for it, it may leave memory.</summary>
    private void Touched(string proposalId, long seq)
    {
        if (!_proposals.Live.TryGetValue(proposalId, out var proposal))
        {
            return;
        }

        proposal.LastEntrySeq = seq;
        if (_lookup is null || !IsSettled(proposal))
        {
            return;
        }

        _recentlyDecided.Enqueue(proposalId);
        while (_recentlyDecided.Count > RetainedDecidedProposals)
        {
            var oldest = _recentlyDecided.Dequeue();
            if (_proposals.Live.TryGetValue(oldest, out var candidate) && IsSettled(candidate) && !_recentlyDecided.Contains(oldest))
            {
                _proposals.Live.Remove(oldest);
                _intents.Remove(candidate.Staged.Agent, candidate.Staged.IntentDigest, candidate.Id);
                _decided.Set(oldest, candidate.FirstSeq, candidate.LastEntrySeq, r => StagedAt(r.First)?.ProposalId == oldest);
            }
        }
    }

    private bool IsSettled(ProposalState proposal) => !proposal.IsPending && !_inFlight.Values.Any(a => a.ProposalId == proposal.Id);

    /// <summary>Rebuilds a decided proposal from its entries (between its first staging and the last entry about it).</summary>
    private ProposalState? LoadDecided(string proposalId)
    {
        if (_lookup is null)
        {
            return null;
        }

        var range = _decided.Get(proposalId, r => StagedAt(r.First)?.ProposalId == proposalId);
        if (range is not { } found)
        {
            return null;
        }

        // A quick byte search skips entries about other proposals; ids that JSON escapes are not searched for.
        var needle = proposalId.Any(c => c is '"' or '\\' or < ' ') ? null : System.Text.Encoding.UTF8.GetBytes(proposalId);
        var fold = new RuntimeState(null, _readBlob);
        foreach (var entry in _lookup.ReadRange(found.First, found.Last))
        {
            if (entry.Kind is EntryKind.ProposalStaged or EntryKind.Approval or EntryKind.Rejection or EntryKind.Commit or EntryKind.ExecutionFailed
                && (needle is null || entry.Payload.AsSpan().IndexOf(needle) >= 0))
            {
                fold.Apply(entry);
            }
        }

        return fold._proposals.Live.GetValueOrDefault(proposalId);
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
