// The read verbs of both surfaces, answered from a ledger store and the proposals folded from it, so the sidecar's live
// runtime and the CLI's read-only ledger give the same answer to the same question.
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>
/// Queries that need no writer: each takes what it reads (a store, a proposal, the proposals newest first) so that
/// <see cref="EditorSurface"/> and <see cref="AgentSurface"/> pass the runtime's and the CLI passes a ledger it opened
/// read-only. Refusals throw <see cref="SurfaceException"/>.
/// </summary>
public static class LedgerReads
{
    /// <summary>The default number of proposals <c>proposal/list</c> returns.</summary>
    public const int DefaultProposalLimit = 200;

    /// <summary>The most proposals <c>proposal/list</c> returns.</summary>
    public const int MaxProposalLimit = 10_000;

    /// <summary>
    /// <c>proposal/list</c>: <paramref name="newestFirst"/> filtered by status, agent and path (a rename matches by its new
    /// or its old path), at most <see cref="MaxProposalLimit"/>.
    /// </summary>
    public static ListProposalsResult ListProposals(IEnumerable<ProposalState> newestFirst, ListProposalsParams? request)
    {
        request ??= new ListProposalsParams();
        var statuses = request.Statuses is { Count: > 0 } ? request.Statuses.ToHashSet(StringComparer.Ordinal) : null;
        var limit = Math.Clamp(request.Limit ?? DefaultProposalLimit, 1, MaxProposalLimit);
        var proposals = newestFirst
            .Where(p => statuses is null || statuses.Contains(ProtocolConversions.StatusName(p.Status)))
            .Where(p => string.IsNullOrEmpty(request.Agent) || p.Staged.Agent == request.Agent)
            .Where(p => string.IsNullOrEmpty(request.Path) || p.Files.Values.Any(f => f.Record.Path == request.Path || f.Record.FromPath == request.Path))
            .Take(limit)
            .Select(ProtocolConversions.ToSummary)
            .ToList();
        return new ListProposalsResult { Proposals = proposals };
    }

    /// <summary><c>proposal/get</c>: the proposal <paramref name="find"/> gives for the id in <paramref name="request"/>, in full.</summary>
    public static GetProposalResult GetProposal(GetProposalParams? request, Func<string, ProposalState?> find, Func<ContentHash, byte[]?> readBlob)
    {
        var id = SurfaceException.RequireText(SurfaceException.Require(request).ProposalId, "proposalId");
        var proposal = find(id) ?? throw SurfaceException.Runtime(new(RuntimeErrorCode.ProposalNotFound, $"There is no proposal '{id}' in this workspace's ledger; list the proposals (`proposal/list`, `thymos pending`) for the ids it has."));
        return ProtocolConversions.ToDetail(proposal, readBlob);
    }

    /// <summary><c>ledger/getEntry</c>: one entry with its payload.</summary>
    public static GetEntryResult GetEntry(ILedgerStore store, GetEntryParams? request)
    {
        var seq = SurfaceException.Require(request).Seq;
        var entry = store.Read(seq) ?? throw SurfaceException.InvalidParams("seq", $"is {seq}; the ledger has entries 1 to {store.MaxSeq()}.");
        using var payload = ParsePayload(entry);
        return new GetEntryResult
        {
            Entry = ProtocolConversions.ToEntrySummary(entry),
            Parent = entry.Parent.ToString(),
            Payload = payload.RootElement.Clone(),
        };
    }

    /// <summary><c>ledger/getFileAtSeq</c>: a file as the ledger had it at a seq (the head when none is given).</summary>
    public static GetFileAtSeqResult GetFileAtSeq(ILedgerStore store, GetFileAtSeqParams? request)
    {
        request = SurfaceException.Require(request);
        var path = SurfaceException.RequireText(request.Path, "path");
        var bytes = WorldReplayer.RebuildFile(store, path, request.Seq ?? store.MaxSeq());
        if (bytes is null)
        {
            return new GetFileAtSeqResult { Exists = false };
        }
        var (text, base64) = ProtocolConversions.ToContent(bytes);
        return new GetFileAtSeqResult { Exists = true, Hash = ContentHash.Of(bytes).ToString(), Text = text, Base64 = base64 };
    }

    /// <summary><c>ledger/getBlob</c>: a blob's content.</summary>
    public static GetBlobResult GetBlob(ILedgerStore store, GetBlobParams? request)
    {
        var text = SurfaceException.RequireText(SurfaceException.Require(request).Hash, "hash");
        if (!ContentHash.TryParse(text, out var hash))
        {
            throw SurfaceException.InvalidParams("hash", "must be a content hash (64 lowercase hex characters).");
        }
        var bytes = store.ReadBlob(hash);
        if (bytes is null)
        {
            return new GetBlobResult { Exists = false };
        }
        var (decoded, base64) = ProtocolConversions.ToContent(bytes);
        return new GetBlobResult { Exists = true, Size = bytes.Length, Text = decoded, Base64 = base64 };
    }

    /// <summary>
    /// <c>ledger/replay</c>: the world at <paramref name="toSeq"/>; at (or past) the head, <paramref name="verified"/> (the
    /// world the last clean verify folded, if the head has not moved) is the answer without reading the ledger again.
    /// </summary>
    public static ReplayResultInfo Replay(ILedgerStore store, long? toSeq, VerifiedWorldCache? verified, IProgress<LedgerProgress>? progress, CancellationToken cancellationToken)
    {
        var to = toSeq ?? long.MaxValue;
        var head = store.MaxSeq();
        var world = to >= head ? verified?.At(head) : null;
        return ProtocolConversions.ToReplayInfo(world ?? WorldReplayer.Replay(store, to, progress, cancellationToken));
    }

    /// <summary>
    /// <c>proposal/getStatus</c> for the agent of <paramref name="session"/>: its own proposal's status and the commits
    /// that applied it. Another writ's proposal is reported as absent, so agents learn nothing about each other.
    /// </summary>
    public static ProposalStatusResult Status(ILedgerStore store, AgentSession session, string proposalId, ProposalState? proposal, bool timedOut = false)
    {
        if (proposal is null || proposal.Staged.WritId != session.WritId)
        {
            throw SurfaceException.Runtime(new RuntimeError(RuntimeErrorCode.ProposalNotFound, $"There is no proposal '{proposalId}' under this session's writ; use the proposal id that submit_intent returned to this agent."));
        }
        var commitSeqs = new List<long>();
        foreach (var entry in store.ReadRange(proposal.FirstSeq, long.MaxValue))
        {
            if (entry.Kind == EntryKind.Commit
                && WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).ProposalId == proposal.Id)
            {
                commitSeqs.Add(entry.Seq);
            }
        }
        return ProtocolConversions.ToStatus(proposal, commitSeqs, timedOut);
    }

    /// <summary>An entry's payload as JSON; a damaged one is the ledger's fault, said as such, never the client's params.</summary>
    private static JsonDocument ParsePayload(LedgerEntry entry)
    {
        try
        {
            return JsonDocument.Parse(entry.Payload);
        }
        catch (JsonException exception)
        {
            throw SurfaceException.Protocol(ErrorCodes.InternalError, $"Entry {entry.Seq}'s payload in the ledger is not valid JSON ({exception.Message}): the ledger file is damaged. Run Verify Ledger (`thymos verify`) to see every damaged entry.");
        }
    }
}
