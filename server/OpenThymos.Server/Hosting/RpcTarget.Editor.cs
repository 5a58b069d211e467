// The editor surface of the per-connection target: proposals, ledger, writs and policy.
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Replay;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Services;

namespace OpenThymos.Server.Hosting;

/// <summary>Editor methods.</summary>
public sealed partial class RpcTarget
{
    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        request ??= new ListProposalsParams();
        var statuses = request.Statuses is { Count: > 0 } ? request.Statuses.ToHashSet(StringComparer.Ordinal) : null;
        var limit = Math.Clamp(request.Limit ?? 200, 1, 10_000);
        var proposals = sidecar.Runtime.ListProposals()
            .Select(ProtocolConversions.ToSummary)
            .Where(p => statuses is null || statuses.Contains(p.Status))
            .Where(p => string.IsNullOrEmpty(request.Agent) || p.Agent == request.Agent)
            .Where(p => string.IsNullOrEmpty(request.Path) || p.Files.Any(f => f.Path == request.Path))
            .Take(limit)
            .ToList();
        return Task.FromResult(new ListProposalsResult { Proposals = proposals });
    }

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(GetProposalParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var id = RpcErrors.RequireText(RpcErrors.Require(request).ProposalId, "proposalId");
        var proposal = sidecar.Runtime.GetProposal(id) ?? throw RpcErrors.Runtime(new(Core.Runtime.RuntimeErrorCode.ProposalNotFound, $"There is no proposal '{id}'."));
        return Task.FromResult(ProtocolConversions.ToDetail(proposal, Ledger.ReadBlob));
    }

    /// <inheritdoc />
    public async Task<DecisionResultInfo> ApproveProposalAsync(ApproveProposalParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var core = ProtocolConversions.ToApproveRequest(RpcErrors.Require(request), connection.Reviewer);
        return ProtocolConversions.ToDecisionInfo(await RunAsync(() => sidecar.Runtime.Approve(core), CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task<DecisionResultInfo> RejectProposalAsync(RejectProposalParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var core = ProtocolConversions.ToRejectRequest(RpcErrors.Require(request), connection.Reviewer);
        return ProtocolConversions.ToDecisionInfo(await RunAsync(() => sidecar.Runtime.Reject(core), CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task<AmendProposalResult> AmendProposalAsync(AmendProposalParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var core = ProtocolConversions.ToAmendRequest(RpcErrors.Require(request), connection.Reviewer);
        var result = await RunAsync(() => sidecar.Runtime.Amend(core), CancellationToken.None);
        return ProtocolConversions.ToAmendResult(result, sidecar.Runtime.GetProposal(core.ProposalId), core);
    }

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        request ??= new ListEntriesParams();
        return RunAsync(() =>
        {
            // What the reviewer reads accounts for every refused attempt so far (counted repeats become aggregate entries).
            sidecar.Runtime.FlushRefusals();
            return TimelineReader.Read(Ledger.Store, request, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(GetEntryParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var seq = RpcErrors.Require(request).Seq;
        var entry = Ledger.Read(seq) ?? throw RpcErrors.InvalidParams("seq", $"is {seq}; the ledger has entries 1 to {Ledger.Head.Seq}.");
        using var payload = JsonDocument.Parse(entry.Payload);
        return Task.FromResult(new GetEntryResult
        {
            Entry = ProtocolConversions.ToEntrySummary(entry),
            Parent = entry.Parent.ToString(),
            Payload = payload.RootElement.Clone(),
        });
    }

    /// <inheritdoc />
    public Task<GetFileAtSeqResult> GetFileAtSeqAsync(GetFileAtSeqParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var path = RpcErrors.RequireText(RpcErrors.Require(request).Path, "path");
        var seq = request.Seq ?? Ledger.Head.Seq;
        return RunAsync(() =>
        {
            var bytes = WorldReplayer.RebuildFile(Ledger.Store, path, seq);
            if (bytes is null)
            {
                return new GetFileAtSeqResult { Exists = false };
            }
            var (text, base64) = ProtocolConversions.ToContent(bytes);
            return new GetFileAtSeqResult { Exists = true, Hash = ContentHash.Of(bytes).ToString(), Text = text, Base64 = base64 };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetBlobResult> GetBlobAsync(GetBlobParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var text = RpcErrors.RequireText(RpcErrors.Require(request).Hash, "hash");
        if (!ContentHash.TryParse(text, out var hash))
        {
            throw RpcErrors.InvalidParams("hash", "must be a content hash (64 lowercase hex characters).");
        }
        return RunAsync(() =>
        {
            var bytes = Ledger.Store.ReadBlob(hash);
            if (bytes is null)
            {
                return new GetBlobResult { Exists = false };
            }
            var (decoded, base64) = ProtocolConversions.ToContent(bytes);
            return new GetBlobResult { Exists = true, Size = bytes.Length, Text = decoded, Base64 = base64 };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VerifyResultInfo> VerifyAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var progress = ProgressFor(request?.ProgressToken);
        var keyDirectory = Ledger.KeyDirectory;
        return RunAsync(() =>
        {
            sidecar.Runtime.FlushRefusals();
            var (result, world) = LedgerVerifier.VerifyAndReplay(Ledger.Store, keyDirectory, progress, cancellationToken);
            sidecar.VerifiedWorld.Store(world);
            return ProtocolConversions.ToVerifyInfo(result);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var progress = ProgressFor(request?.ProgressToken);
        var toSeq = request?.ToSeq ?? long.MaxValue;
        return RunAsync(() =>
        {
            // At (or past) the head, the world the last clean verify folded is the answer, if the head has not moved.
            var head = Ledger.Store.MaxSeq();
            var world = toSeq >= head ? sidecar.VerifiedWorld.At(head) : null;
            return ProtocolConversions.ToReplayInfo(world ?? WorldReplayer.Replay(Ledger.Store, toSeq, progress, cancellationToken));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DriftResultInfo> GetDriftAsync(LedgerWorkParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        return RunAsync(() => ProtocolConversions.ToDriftInfo(sidecar.VerifiedWorld.At(Ledger.Store.MaxSeq()) is { } world
            ? WorldReplayer.Drift(world, sidecar.Runtime.Workspace, cancellationToken)
            : WorldReplayer.Drift(WorldReplayer.Replay(Ledger.Store, cancellationToken: cancellationToken), sidecar.Runtime.Workspace, cancellationToken)), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DecisionResultInfo> RevertCommitAsync(RevertCommitParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var seq = RpcErrors.Require(request).Seq;
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "Reverted by the reviewer." : request.Reason;
        return ProtocolConversions.ToDecisionInfo(await RunAsync(() => sidecar.Runtime.Revert(seq, connection.Reviewer, reason), CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var core = ProtocolConversions.ToWritRequest(RpcErrors.Require(request));
        var (issued, error) = await RunAsync(() => sidecar.Runtime.IssueWrit(core, connection.Reviewer), CancellationToken.None);
        if (error is not null)
        {
            throw RpcErrors.Runtime(error);
        }
        var state = sidecar.Runtime.ListWrits().First(w => w.Id == issued!.Writ.Id);
        return new IssueWritResult { Writ = ProtocolConversions.ToWritInfo(state, DateTimeOffset.UtcNow), Token = issued!.Token };
    }

    /// <inheritdoc />
    public Task<ListWritsResult> ListWritsAsync(CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult(new ListWritsResult { Writs = [.. sidecar.Runtime.ListWrits().Select(w => ProtocolConversions.ToWritInfo(w, now))] });
    }

    /// <inheritdoc />
    public async Task<EmptyResult> RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var id = RpcErrors.RequireText(RpcErrors.Require(request).WritId, "writId");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "Revoked by the reviewer." : request.Reason;
        var error = await RunAsync(() => sidecar.Runtime.RevokeWrit(id, connection.Reviewer, reason), CancellationToken.None);
        return error is null ? new EmptyResult() : throw RpcErrors.Runtime(error);
    }

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        return Task.FromResult(ProtocolConversions.ToPolicyResult(sidecar.Runtime.GetPolicyStatus()));
    }

    /// <inheritdoc />
    public async Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Editor);
        var hash = RpcErrors.RequireText(RpcErrors.Require(request).Hash, "hash");
        var (status, error) = await RunAsync(() => sidecar.Runtime.AdoptPolicy(hash, connection.Reviewer), CancellationToken.None);
        return error is null ? ProtocolConversions.ToPolicyResult(status!) : throw RpcErrors.Runtime(error);
    }

    private Progress? ProgressFor(string? token) =>
        string.IsNullOrEmpty(token) ? null : new Progress(connection, token);

    /// <summary>Sends throttled <c>ledger/didProgress</c> notifications (at most every 50 ms, plus the last).</summary>
    private sealed class Progress(ClientConnection connection, string token) : IProgress<LedgerProgress>
    {
        private long _lastTicks;

        public void Report(LedgerProgress value)
        {
            var now = Environment.TickCount64;
            if (value.Done < value.Total && now - Interlocked.Read(ref _lastTicks) < 50)
            {
                return;
            }
            Interlocked.Exchange(ref _lastTicks, now);
            connection.Notifications.Enqueue(ProtocolMethods.LedgerDidProgress, new LedgerDidProgressParams { Token = token, Done = value.Done, Total = value.Total });
        }
    }
}
