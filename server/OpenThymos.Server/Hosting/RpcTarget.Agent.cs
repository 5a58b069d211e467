// The agent surface of the per-connection target: sessions, scoped reads, intents and waiting for decisions.
using System.Security.Cryptography;
using System.Text;
using OpenThymos.Core.Globs;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Services;
using StreamJsonRpc;

namespace OpenThymos.Server.Hosting;

/// <summary>Agent methods.</summary>
public sealed partial class RpcTarget
{
    /// <inheritdoc />
    public Task<OpenSessionResult> OpenSessionAsync(OpenSessionParams request, CancellationToken cancellationToken)
    {
        if (sidecar.IsShutDown)
        {
            throw RpcErrors.Protocol(ErrorCodes.ShuttingDown, "The sidecar has shut down.");
        }
        if (connection.IsStdio)
        {
            throw RpcErrors.Protocol(ErrorCodes.SessionRequired, "session/open is for the agent socket; the editor uses initialize.");
        }
        if (string.IsNullOrWhiteSpace(request?.Token))
        {
            sidecar.Runtime.RecordRefusedSession(new RuntimeError(RuntimeErrorCode.WritUnknown, "No writ token was presented."));
            throw RpcErrors.InvalidParams("token", "is required (the writ token the user granted).");
        }
        var token = request.Token;
        if (sidecar.Settings.OperatorToken is { } operatorToken
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(operatorToken)))
        {
            connection.Role = ConnectionRole.Operator;
            connection.Initialized = true;
            connection.WantsNotifications = true;
            sidecar.Log.Info($"{connection.Name}: operator session opened.");
            return Task.FromResult(new OpenSessionResult { Role = "operator" });
        }
        var (session, error) = sidecar.Runtime.OpenSession(token);
        if (error is not null)
        {
            throw RpcErrors.Runtime(error);
        }
        connection.Session = session;
        connection.Role = ConnectionRole.Agent;
        connection.Initialized = true;
        connection.WantsNotifications = true;
        sidecar.Log.Info($"{connection.Name}: agent {session!.Agent} opened session {session.Session} with writ {session.WritId}.");
        return Task.FromResult(new OpenSessionResult { Role = "agent", Writ = ProtocolConversions.ToWritInfo(CurrentWrit(), DateTimeOffset.UtcNow) });
    }

    /// <inheritdoc />
    public Task<ReadFileResult> ReadFileAsync(ReadFileParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Agent);
        var writ = UsableWrit();
        var path = Confine(RpcErrors.RequireText(RpcErrors.Require(request).Path, "path"));
        if (WritScope.Check(writ.Writ, path) is { } refusal)
        {
            throw RpcErrors.Runtime(refusal);
        }
        var (content, hash, error) = sidecar.Runtime.ReadFile(path);
        if (error is not null)
        {
            throw RpcErrors.Runtime(error);
        }
        var (text, base64) = ProtocolConversions.ToContent(content!);
        return Task.FromResult(new ReadFileResult { Path = path, Hash = hash!, Text = text, Base64 = base64, Size = content!.Length });
    }

    /// <inheritdoc />
    public Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Agent);
        var writ = UsableWrit();
        request ??= new ListFilesParams();
        const int MaxLimit = 100_000;
        var limit = Math.Clamp(request.Limit ?? 2000, 1, MaxLimit);
        if (request.Glob is { Length: > 0 } filter && !Glob.TryParse(filter, out _, out var globError))
        {
            throw RpcErrors.InvalidParams("glob", $"is not a valid glob: {globError}");
        }

        return RunAsync(() =>
        {
            var (files, truncated) = WritScope.List(sidecar.Runtime.Workspace, writ.Writ, request.Glob, limit, cancellationToken);
            return new ListFilesResult { Files = files, Truncated = truncated, Message = truncated ? ListFilesResult.TruncatedMessage(files.Count, MaxLimit) : null };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SubmitIntentResult> SubmitIntentAsync(SubmitIntentParams request, CancellationToken cancellationToken)
    {
        var received = connection.Channel.LastReceivedTimestamp;
        var dispatched = LatencyTrace.Now();
        Gate(Surface.Agent);
        Intent intent;
        try
        {
            intent = ProtocolConversions.ToIntent(RpcErrors.Require(request));
        }
        catch (LocalRpcException invalid) when (invalid.ErrorCode == ErrorCodes.InvalidParams)
        {
            RecordRefusedSubmission(PathsNamedBy(request), new RuntimeError(RuntimeErrorCode.IntentInvalid, invalid.Message));
            throw;
        }
        var session = connection.Session!;
        long submitStarted = 0;
        // Never cancelled half-way: once submitted, the runtime decides and ledgers the outcome.
        var result = await RunAsync(() =>
        {
            submitStarted = LatencyTrace.Now();
            return sidecar.Runtime.Submit(session, intent);
        }, CancellationToken.None);
        if (sidecar.Trace is { } trace && result.ProposalId is { } traced)
        {
            trace.Mark(traced, LatencyPoint.Received, received);
            trace.Mark(traced, LatencyPoint.Dispatched, dispatched);
            trace.Mark(traced, LatencyPoint.SubmitStarted, submitStarted);
        }
        var proposal = result.ProposalId is null ? null : sidecar.Runtime.GetProposal(result.ProposalId);
        return ProtocolConversions.ToSubmitResult(result, proposal);
    }

    /// <inheritdoc />
    public Task<ProposalStatusResult> GetProposalStatusAsync(ProposalStatusParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Agent);
        var proposal = OwnProposal(RpcErrors.RequireText(RpcErrors.Require(request).ProposalId, "proposalId"));
        return RunAsync(() => ProtocolConversions.ToStatus(proposal, CommitSeqsOf(proposal), timedOut: false), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ProposalStatusResult> WaitDecisionAsync(WaitDecisionParams request, CancellationToken cancellationToken)
    {
        Gate(Surface.Agent);
        var id = RpcErrors.RequireText(RpcErrors.Require(request).ProposalId, "proposalId");
        if (request.TimeoutMs is < 0 or > 600_000)
        {
            throw RpcErrors.InvalidParams("timeoutMs", "must be between 0 and 600000.");
        }
        var proposal = OwnProposal(id);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(string changedId)
        {
            if (changedId == id)
            {
                changed.TrySetResult();
            }
        }

        sidecar.Runtime.ProposalChanged += OnChanged;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(request.TimeoutMs);
            while (proposal.Status == ProposalStatus.Pending)
            {
                try
                {
                    await changed.Task.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw RpcErrors.Protocol(ErrorCodes.Cancelled, "waitDecision was cancelled.");
                }
                catch (OperationCanceledException)
                {
                    return ProtocolConversions.ToStatus(proposal, CommitSeqsOf(proposal), timedOut: true);
                }
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                proposal = OwnProposal(id);
            }
        }
        finally
        {
            sidecar.Runtime.ProposalChanged -= OnChanged;
        }
        return ProtocolConversions.ToStatus(proposal, CommitSeqsOf(proposal), timedOut: false);
    }

    /// <summary>The paths a submission names, as far as its params could be read, for the record of its refusal.</summary>
    private static List<string> PathsNamedBy(SubmitIntentParams? request) =>
        [.. (request?.Files ?? []).SelectMany(f => new[] { f?.Path, f?.FromPath }).OfType<string>()];

    private string Confine(string path)
    {
        var (normalized, error) = new IntentCompiler(sidecar.Runtime.Workspace).Confine(path);
        return error is null ? normalized! : throw RpcErrors.Runtime(error);
    }

    private WritState CurrentWrit() =>
        sidecar.Runtime.ListWrits().FirstOrDefault(w => w.Id == connection.Session!.WritId)
        ?? throw RpcErrors.Runtime(new RuntimeError(RuntimeErrorCode.WritUnknown, "The session's writ is not known."));

    private WritState UsableWrit()
    {
        var writ = CurrentWrit();
        if (writ.IsRevoked)
        {
            throw RpcErrors.Runtime(new RuntimeError(RuntimeErrorCode.WritRevoked, $"Writ '{writ.Id}' was revoked: {writ.RevocationReason}. Ask the user to grant access again."));
        }
        if (writ.Writ.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            throw RpcErrors.Runtime(new RuntimeError(RuntimeErrorCode.WritRefused, $"Writ '{writ.Id}' expired at {ProtocolConversions.Iso(writ.Writ.ExpiresAt)}. Ask the user to grant access again."));
        }
        return writ;
    }

    private ProposalState OwnProposal(string id)
    {
        var proposal = sidecar.Runtime.GetProposal(id);
        // Another writ's proposal is reported as absent, so agents learn nothing about each other.
        return proposal is not null && proposal.Staged.WritId == connection.Session!.WritId
            ? proposal
            : throw RpcErrors.Runtime(new RuntimeError(RuntimeErrorCode.ProposalNotFound, $"There is no proposal '{id}' in this session's writ."));
    }

    private List<long> CommitSeqsOf(ProposalState proposal)
    {
        var seqs = new List<long>();
        foreach (var entry in Ledger.Read(proposal.FirstSeq, long.MaxValue))
        {
            if (entry.Kind == EntryKind.Commit
                && WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).ProposalId == proposal.Id)
            {
                seqs.Add(entry.Seq);
            }
        }
        return seqs;
    }
}
