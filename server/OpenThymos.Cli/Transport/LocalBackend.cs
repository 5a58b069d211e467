// The backend used when no sidecar runs: reads open the ledger read-only; writes open the runtime in-process for one operation.
using System.Diagnostics;
using System.Text.Json;
using OpenThymos.Core.Globs;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Text;
using OpenThymos.Core.Writs;
using OpenThymos.Server;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Transport;

/// <summary>
/// Talks to the core library directly. Read-only verbs take no lock; each write opens the runtime (taking the
/// ledger's writer lock for that operation only, waiting up to <see cref="LockWait"/> for another writer) and closes it.
/// </summary>
internal sealed class LocalBackend(WorkspaceLocation location, string? writToken = null) : IOperatorBackend, IAgentBackend
{
    /// <summary>How long a write waits for another writer to release the ledger.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Description => $"the ledger {location.LedgerPath} opened directly (no sidecar is running)";

    /// <summary>The reviewer recorded on decisions.</summary>
    public static string Reviewer => "human:" + (string.IsNullOrEmpty(Environment.UserName) ? "cli" : Environment.UserName);

    /// <summary>Opens the runtime, creating the ledger when the workspace has none, runs one operation and closes it.</summary>
    public T WithRuntime<T>(Func<ThymosRuntime, T> operation) => WithRuntime(operation, acceptRestoredLedger: false);

    /// <summary>
    /// As <see cref="WithRuntime{T}(Func{ThymosRuntime, T})"/>; with <paramref name="acceptRestoredLedger"/>, a ledger behind its
    /// signed head anchor or witness is opened anyway after a <c>ledger.rollback-accepted</c> entry records both heads.
    /// </summary>
    public T WithRuntime<T>(Func<ThymosRuntime, T> operation, bool acceptRestoredLedger)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var runtime = ThymosRuntime.Open(new RuntimeOptions
                {
                    Ledger = new LedgerOptions
                    {
                        WorkspaceRoot = location.Root,
                        StoreFactory = location.Stores,
                        KeyDirectory = location.KeyDirectory,
                        HolderDescription = $"thymos CLI (pid {Environment.ProcessId})",
                        AcceptRestoredLedger = acceptRestoredLedger,
                    },
                });
                return operation(runtime);
            }
            catch (LedgerLockedException ex) when (stopwatch.Elapsed < LockWait)
            {
                _ = ex;
                Thread.Sleep(100);
            }
            catch (LedgerLockedException ex)
            {
                throw new CliException(
                    ExitCodes.Unavailable,
                    $"The ledger {location.LedgerPath} is locked by another writer ({ex.Message}) and no sidecar socket answered. Stop that process, or run the command again once it finishes.");
            }
        }
    }

    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithState((_, state) =>
        {
            var proposals = state.Proposals.Values
                .OrderByDescending(p => p.FirstSeq)
                .Where(p => request.Statuses is null || request.Statuses.Contains(ProtocolConversions.StatusName(p.Status)))
                .Where(p => request.Agent is null || p.Staged.Agent == request.Agent)
                .Where(p => request.Path is null || p.Files.Values.Any(f => f.Record.Path == request.Path || f.Record.FromPath == request.Path))
                .Take(request.Limit ?? 200)
                .Select(ProtocolConversions.ToSummary);
            return new ListProposalsResult { Proposals = [.. proposals] };
        }));

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(string proposalId, CancellationToken cancellationToken) =>
        Task.FromResult(WithState((store, state) => ProtocolConversions.ToDetail(FindProposal(state, proposalId), store.ReadBlob)));

    /// <inheritdoc />
    public Task<DecisionResultInfo> ApproveAsync(ApproveProposalParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime => ProtocolConversions.ToDecisionInfo(runtime.Approve(new ApproveRequest(
            request.ProposalId,
            request.Revision,
            Reviewer,
            new HunkSelection(request.Files, request.Hunks),
            request.Amendments?.Select(a => new Amendment(a.Path, a.HunkId, a.Text)).ToList(),
            request.HunkDigests,
            request.Pinned ?? true)))));

    /// <inheritdoc />
    public Task<DecisionResultInfo> RejectAsync(RejectProposalParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime => ProtocolConversions.ToDecisionInfo(runtime.Reject(new RejectRequest(
            request.ProposalId,
            request.Revision,
            Reviewer,
            new HunkSelection(request.Files, request.Hunks),
            request.Reason ?? RejectionReason.Reviewer,
            request.HunkDigests)))));

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithStore(store =>
        {
            var head = store.MaxSeq();
            var limit = Math.Clamp(request.Limit ?? 100, 1, 1000);
            var entries = new List<EntrySummary>();
            var seq = Math.Min(request.BeforeSeq is { } before ? before - 1 : head, head);
            for (; seq >= LedgerFormat.GenesisSeq && entries.Count < limit; seq--)
            {
                var entry = store.Read(seq);
                if (entry is null
                    || (request.Kinds is { Count: > 0 } kinds && !kinds.Contains(entry.Kind))
                    || (request.Agent is { } agent && ProtocolConversions.DescribeEntry(entry).Agent != agent))
                {
                    continue;
                }

                var summary = ProtocolConversions.ToEntrySummary(entry);
                if (request.Path is { } path && !summary.Paths.Contains(path))
                {
                    continue;
                }

                entries.Add(summary);
            }

            return new ListEntriesResult { Entries = entries, HeadSeq = head, NextBeforeSeq = seq >= LedgerFormat.GenesisSeq ? seq + 1 : null };
        }));

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(long seq, CancellationToken cancellationToken) =>
        Task.FromResult(WithStore(store =>
        {
            var entry = store.Read(seq)
                ?? throw new CliException(ExitCodes.Refused, $"The ledger {location.LedgerPath} has no entry {seq} (head is {store.MaxSeq()}). Run `thymos log` to see the entries.");
            using var payload = JsonDocument.Parse(entry.Payload);
            return new GetEntryResult { Entry = ProtocolConversions.ToEntrySummary(entry), Parent = entry.Parent.ToString(), Payload = payload.RootElement.Clone() };
        }));

    /// <inheritdoc />
    public Task<VerifyResultInfo> VerifyAsync(IProgress<LedgerProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(ProtocolConversions.ToVerifyInfo(LedgerVerifier.VerifyAt(location.Stores, location.LedgerPath, location.KeyDirectory, progress, cancellationToken)));

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(long? toSeq, CancellationToken cancellationToken) =>
        Task.FromResult(WithStore(store => ProtocolConversions.ToReplayInfo(WorldReplayer.Replay(store, toSeq ?? long.MaxValue, null, cancellationToken))));

    /// <inheritdoc />
    public Task<DriftResultInfo> GetDriftAsync(CancellationToken cancellationToken) =>
        Task.FromResult(WithStore(store => ProtocolConversions.ToDriftInfo(WorldReplayer.Drift(store, location.Root, cancellationToken))));

    /// <inheritdoc />
    public Task<DecisionResultInfo> RevertAsync(RevertCommitParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime => ProtocolConversions.ToDecisionInfo(runtime.Revert(request.Seq, Reviewer, request.Reason ?? "reverted with thymos revert"))));

    /// <inheritdoc />
    public Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken)
    {
        var effects = Effects.None;
        foreach (var name in request.Effects)
        {
            if (!EffectNames.TryParse(name, out var effect))
            {
                throw new CliException(ExitCodes.Usage, $"Unknown effect '{name}' in --effects. Use a comma-separated list of create, modify, delete, rename.");
            }

            effects |= effect;
        }

        var writRequest = new WritRequest(
            request.Agent,
            request.Session ?? "cli",
            request.Include,
            request.Exclude,
            effects,
            new WritBudget(request.MaxProposals, request.MaxFiles, request.MaxBytes),
            TimeSpan.FromSeconds(request.LifetimeSeconds),
            request.ParentId);
        return Task.FromResult(WithRuntime(runtime =>
        {
            var (issued, error) = runtime.IssueWrit(writRequest, Reviewer);
            if (error is not null)
            {
                throw new CliException(ExitCodes.Refused, error.Message);
            }

            var state = runtime.ListWrits().First(w => w.Id == issued!.Writ.Id);
            return new IssueWritResult { Writ = ProtocolConversions.ToWritInfo(state, DateTimeOffset.UtcNow), Token = issued!.Token };
        }));
    }

    /// <inheritdoc />
    public Task RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime =>
        {
            var error = runtime.RevokeWrit(request.WritId, Reviewer, request.Reason ?? "revoked with thymos revoke");
            return error is null ? 0 : throw new CliException(ExitCodes.Refused, error.Message);
        }));

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime => ProtocolConversions.ToPolicyResult(runtime.GetPolicyStatus())));

    /// <inheritdoc />
    public Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken) =>
        Task.FromResult(WithRuntime(runtime =>
        {
            var (status, error) = runtime.AdoptPolicy(request.Hash, Reviewer);
            return error is null ? ProtocolConversions.ToPolicyResult(status!) : throw new CliException(ExitCodes.Refused, error.Message);
        }));

    /// <inheritdoc />
    public Task<ReadFileResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var writ = WritToken.Parse(RequireWrit()).Writ;
        using var workspace = new OpenThymos.Core.FileSystem.WorkspaceDirectory(location.Root);
        var compiler = new IntentCompiler(workspace);
        var (normalized, error) = compiler.Confine(path);
        if (error is not null)
        {
            throw new CliException(ExitCodes.Refused, error.Message);
        }

        if (WritScope.Check(writ, normalized!) is { } refusal)
        {
            throw new CliException(ExitCodes.Refused, refusal.Message);
        }

        // Read through the workspace handle: never through a link, never a hard-linked or special file.
        var (bytes, readError) = compiler.ReadForAgent(normalized!);
        if (readError is not null)
        {
            throw new CliException(ExitCodes.Refused, readError.Message);
        }

        if (bytes is null)
        {
            throw new CliException(ExitCodes.Refused, $"'{normalized}' does not exist in {location.Root}. Use list_files to see the files, or propose_create to create it.");
        }

        var hash = OpenThymos.Core.Hashing.ContentHash.Of(bytes).ToString();
        string? text = null;
        string? base64 = null;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            base64 = Convert.ToBase64String(bytes);
        }

        return Task.FromResult(new ReadFileResult { Path = normalized!, Hash = hash, Text = text, Base64 = base64, Size = bytes.LongLength });
    }

    /// <inheritdoc />
    public Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken)
    {
        var writ = WritToken.Parse(RequireWrit()).Writ;
        if (request.Glob is { Length: > 0 } filter && !Glob.TryParse(filter, out _, out var globError))
        {
            throw new CliException(ExitCodes.Usage, globError!);
        }

        const int MaxLimit = 100_000;
        var (files, truncated) = WritScope.List(location.Root, writ, request.Glob, Math.Clamp(request.Limit ?? 1000, 1, MaxLimit), cancellationToken);
        return Task.FromResult(new ListFilesResult { Files = files, Truncated = truncated, Message = truncated ? ListFilesResult.TruncatedMessage(files.Count, MaxLimit) : null });
    }

    /// <inheritdoc />
    public Task<SubmitIntentResult> SubmitAsync(SubmitIntentParams request, CancellationToken cancellationToken)
    {
        var token = RequireWrit();
        var intent = new Intent(
            string.IsNullOrEmpty(request.Nonce) ? Writ.NewNonce() : request.Nonce,
            request.Description ?? "",
            [.. request.Files.Select(ToFileIntent)]);
        return Task.FromResult(WithRuntime(runtime =>
        {
            var (session, error) = runtime.OpenSession(token);
            if (error is not null)
            {
                throw new CliException(ExitCodes.Refused, error.Message);
            }

            var result = runtime.Submit(session!, intent);
            if (result.Outcome == SubmitOutcome.Refused)
            {
                throw new CliException(ExitCodes.Refused, result.Error?.Message ?? "The runtime refused the intent.");
            }

            return ProtocolConversions.ToSubmitResult(result, runtime.GetProposal(result.ProposalId!));
        }));
    }

    /// <inheritdoc />
    public Task<ProposalStatusResult> GetStatusAsync(string proposalId, CancellationToken cancellationToken) =>
        Task.FromResult(WithState((_, state) => Status(state, proposalId, timedOut: false)));

    /// <inheritdoc />
    public async Task<ProposalStatusResult> WaitDecisionAsync(string proposalId, int timeoutMs, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await GetStatusAsync(proposalId, cancellationToken).ConfigureAwait(false);
            if (status.Decided)
            {
                return status;
            }

            if (deadline.ElapsedMilliseconds >= timeoutMs)
            {
                return status with { TimedOut = true };
            }

            await Task.Delay(Math.Min(200, Math.Max(1, timeoutMs - (int)deadline.ElapsedMilliseconds)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static ProposalStatusResult Status(RuntimeState state, string proposalId, bool timedOut)
    {
        var proposal = FindProposal(state, proposalId);
        var commits = state.Commits
            .Where(c => c.Value.Kind is EntryKind.Commit or EntryKind.Revert && PayloadNames(c.Value, proposalId))
            .Select(c => c.Key)
            .Order()
            .ToList();
        return ProtocolConversions.ToStatus(proposal, commits, timedOut);
    }

    private static bool PayloadNames(LedgerEntry entry, string proposalId)
    {
        using var payload = JsonDocument.Parse(entry.Payload);
        return payload.RootElement.TryGetProperty("proposalId", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == proposalId;
    }

    private static ProposalState FindProposal(RuntimeState state, string proposalId) =>
        state.Proposals.GetValueOrDefault(proposalId)
        ?? throw new CliException(ExitCodes.Refused, $"No proposal '{proposalId}' in this workspace's ledger. Run `thymos pending` to see the pending proposals.");

    private static FileIntent ToFileIntent(FileIntentInfo file)
    {
        var kind = file.Kind switch
        {
            "create" => FileIntentKind.Create,
            "modify" => FileIntentKind.Modify,
            "delete" => FileIntentKind.Delete,
            "rename" => FileIntentKind.Rename,
            _ => throw new CliException(ExitCodes.Refused, $"Unknown file change kind '{file.Kind}' for '{file.Path}'; use create, modify, delete or rename."),
        };
        return new FileIntent(
            kind,
            file.Path,
            file.FromPath,
            file.BaseHash,
            file.Content,
            file.ContentBase64,
            file.Edits?.Select(e => new SearchReplaceBlock(e.Search, e.Replace)).ToList(),
            file.UnifiedDiff);
    }

    private string RequireWrit()
    {
        if (string.IsNullOrEmpty(writToken))
        {
            throw new CliException(ExitCodes.Usage, "No writ token: set THYMOS_WRIT, or pass --writ-file PATH (a file holding the token). An operator issues one with `thymos grant --agent NAME`.");
        }

        if (!WritToken.TryParse(writToken, out var signed, out var error))
        {
            throw new CliException(ExitCodes.Refused, $"The writ token is malformed ({error}). Ask the operator for a new one with `thymos grant`.");
        }

        if (location.WorkspaceId is { } id && signed!.Writ.WorkspaceId != id)
        {
            throw new CliException(ExitCodes.Refused, $"The writ {signed.Writ.Id} was issued for workspace {signed.Writ.WorkspaceId}, not for {location.Root} ({id}). Ask this workspace's operator for a writ.");
        }

        var writId = signed!.Writ.Id;
        WithState((_, state) =>
        {
            if (!state.Writs.TryGetValue(writId, out var writ) || writ.Token != writToken)
            {
                throw new CliException(ExitCodes.Refused, $"The writ {writId} is not recorded in the ledger {location.LedgerPath}. Ask the operator for a new one with `thymos grant`.");
            }

            if (writ.IsRevoked)
            {
                throw new CliException(ExitCodes.Refused, $"The writ {writId} was revoked ({writ.RevocationReason}). Ask the operator for a new one with `thymos grant`.");
            }

            return writ.Writ.ExpiresAt > DateTimeOffset.UtcNow
                ? 0
                : throw new CliException(ExitCodes.Refused, $"The writ {writId} expired at {ProtocolConversions.Iso(writ.Writ.ExpiresAt)}. Ask the operator for a new one with `thymos grant`.");
        });
        return writToken;
    }

    private T WithStore<T>(Func<ILedgerStore, T> read)
    {
        location.RequireLedger();
        using var store = location.Stores.OpenReadOnly(location.LedgerPath);
        return read(store);
    }

    private T WithState<T>(Func<ILedgerStore, RuntimeState, T> read) => WithStore(store =>
    {
        var state = new RuntimeState(null, store.ReadBlob);
        foreach (var entry in store.ReadRange(LedgerFormat.GenesisSeq, long.MaxValue))
        {
            state.Apply(entry);
        }

        return read(store, state);
    });
}
