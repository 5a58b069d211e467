// The agent surface written once: what an agent session may ask of the runtime under its writ.
using OpenThymos.Core.Globs;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>
/// Every agent verb over one open runtime, for the agent of an <see cref="AgentSession"/> (the calling actor): scoped
/// reads, intents, and a proposal's status. Refusals throw <see cref="SurfaceException"/>. The sidecar's JSON-RPC target
/// gates a connection and delegates here; the CLI's local mode opens a runtime and a session and calls the same methods.
/// </summary>
public sealed class AgentSurface(ThymosRuntime runtime)
{
    /// <summary>The most files <c>file/list</c> returns.</summary>
    public const int MaxFileLimit = 100_000;

    /// <summary>The number of files <c>file/list</c> returns when the request names no limit.</summary>
    public const int DefaultFileLimit = 2000;

    /// <summary>The longest <c>proposal/waitDecision</c> wait, in milliseconds.</summary>
    public const int MaxWaitMs = 600_000;

    /// <summary>
    /// <c>session/open</c> with a writ token: the agent session it admits, or the refusal (ledgered by the runtime, a
    /// missing token included, so every refused attempt leaves the same record).
    /// </summary>
    public AgentSession OpenSession(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            runtime.RecordRefusedSession(new RuntimeError(RuntimeErrorCode.WritUnknown, "No writ token was presented."));
            throw SurfaceException.InvalidParams("token", "is required (the writ token the user granted).");
        }

        var (session, error) = runtime.OpenSession(token);
        return session ?? throw SurfaceException.Runtime(error!);
    }

    /// <summary>The session's writ as the wire shows it (answered by <c>session/open</c>).</summary>
    public WritInfo DescribeWrit(AgentSession session) => ProtocolConversions.ToWritInfo(CurrentWrit(session), runtime.Clock.GetUtcNow());

    /// <summary><c>file/read</c>: a workspace file within the writ's paths, with the hash an agent sends back to change it.</summary>
    public ReadFileResult ReadFile(AgentSession session, ReadFileParams? request)
    {
        var writ = UsableWrit(session);
        var (path, confineError) = new IntentCompiler(runtime.Workspace).Confine(SurfaceException.RequireText(SurfaceException.Require(request).Path, "path"));
        if (confineError is not null)
        {
            throw SurfaceException.Runtime(confineError);
        }
        if (WritScope.Check(writ.Writ, path!) is { } refusal)
        {
            throw SurfaceException.Runtime(refusal);
        }
        var (content, hash, error) = runtime.ReadFile(path!);
        if (error is not null)
        {
            throw SurfaceException.Runtime(error);
        }
        var (text, base64) = ProtocolConversions.ToContent(content!);
        return new ReadFileResult { Path = path!, Hash = hash!, Text = text, Base64 = base64, Size = content!.Length };
    }

    /// <summary><c>file/list</c>: the workspace files the writ may read, at most <see cref="MaxFileLimit"/>.</summary>
    public ListFilesResult ListFiles(AgentSession session, ListFilesParams? request, CancellationToken cancellationToken)
    {
        var writ = UsableWrit(session);
        request ??= new ListFilesParams();
        var limit = Math.Clamp(request.Limit ?? DefaultFileLimit, 1, MaxFileLimit);
        if (request.Glob is { Length: > 0 } filter && !Glob.TryParse(filter, out _, out var globError))
        {
            throw SurfaceException.InvalidParams("glob", $"is not a valid glob: {globError}");
        }
        var (files, truncated) = WritScope.List(runtime.Workspace, writ.Writ, request.Glob, limit, cancellationToken);
        return new ListFilesResult { Files = files, Truncated = truncated, Message = truncated ? ListFilesResult.TruncatedMessage(files.Count, MaxFileLimit) : null };
    }

    /// <summary>
    /// The intent an <c>intent/submit</c> carries. Params that do not make an intent are refused with InvalidParams and,
    /// like every attempt the session makes, ledgered as a refused intent naming the paths they could be read to name.
    /// </summary>
    public Intent ReadIntent(AgentSession session, SubmitIntentParams? request)
    {
        try
        {
            return ProtocolConversions.ToIntent(SurfaceException.Require(request));
        }
        catch (SurfaceException invalid) when (invalid.Code == ErrorCodes.InvalidParams)
        {
            runtime.RecordRefusedIntent(session, PathsNamedBy(request), new RuntimeError(RuntimeErrorCode.IntentInvalid, invalid.Message));
            throw;
        }
    }

    /// <summary><c>intent/submit</c>: staged, a duplicate, or approved by the policy; a refusal throws.</summary>
    public SubmitIntentResult Submit(AgentSession session, Intent intent)
    {
        var result = runtime.Submit(session, intent);
        var proposal = result.ProposalId is null ? null : runtime.GetProposal(result.ProposalId);
        return ProtocolConversions.ToSubmitResult(result, proposal);
    }

    /// <summary><c>proposal/getStatus</c> of one of the session's own proposals.</summary>
    public ProposalStatusResult GetStatus(AgentSession session, ProposalStatusParams? request)
    {
        var id = SurfaceException.RequireText(SurfaceException.Require(request).ProposalId, "proposalId");
        return LedgerReads.Status(runtime.Ledger.Store, session, id, runtime.GetProposal(id));
    }

    /// <summary><c>proposal/waitDecision</c>: woken by the runtime's <see cref="ThymosRuntime.ProposalChanged"/>, never by polling.</summary>
    public Task<ProposalStatusResult> WaitDecisionAsync(AgentSession session, WaitDecisionParams? request, CancellationToken cancellationToken) =>
        WaitForDecisionAsync(
            request,
            id => LedgerReads.Status(runtime.Ledger.Store, session, id, runtime.GetProposal(id)),
            (id, changed) =>
            {
                void OnChanged(string changedId)
                {
                    if (changedId == id)
                    {
                        changed();
                    }
                }

                runtime.ProposalChanged += OnChanged;
                return new Subscription(() => runtime.ProposalChanged -= OnChanged);
            },
            cancellationToken);

    /// <summary>
    /// The one wait of <c>proposal/waitDecision</c>, for every transport: reads the status, and while it is undecided
    /// waits for <paramref name="subscribe"/>'s signal that the proposal (or the ledger) changed, then reads again;
    /// after <see cref="WaitDecisionParams.TimeoutMs"/> answers the status marked timed out.
    /// </summary>
    /// <param name="request">The proposal and the timeout (0 to <see cref="MaxWaitMs"/>).</param>
    /// <param name="read">Reads the status of a proposal id (refuses another writ's proposal).</param>
    /// <param name="subscribe">Starts delivering change signals for a proposal id until the returned object is disposed.</param>
    /// <param name="cancellationToken">Cancels the wait (answered with <see cref="ErrorCodes.Cancelled"/>).</param>
    public static async Task<ProposalStatusResult> WaitForDecisionAsync(
        WaitDecisionParams? request,
        Func<string, ProposalStatusResult> read,
        Func<string, Action, IDisposable> subscribe,
        CancellationToken cancellationToken)
    {
        request = SurfaceException.Require(request);
        var id = SurfaceException.RequireText(request.ProposalId, "proposalId");
        if (request.TimeoutMs is < 0 or > MaxWaitMs)
        {
            throw SurfaceException.InvalidParams("timeoutMs", "must be between 0 and 600000.");
        }
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = subscribe(id, () => Volatile.Read(ref changed).TrySetResult());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.TimeoutMs);
        var status = read(id);
        while (!status.Decided)
        {
            try
            {
                await changed.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw SurfaceException.Protocol(ErrorCodes.Cancelled, "waitDecision was cancelled.");
            }
            catch (OperationCanceledException)
            {
                return read(id) with { TimedOut = true };
            }
            Volatile.Write(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            status = read(id);
        }
        return status;
    }

    /// <summary>The paths a submission names, as far as its params could be read, for the record of its refusal.</summary>
    private static List<string> PathsNamedBy(SubmitIntentParams? request) =>
        [.. (request?.Files ?? []).SelectMany(f => new[] { f?.Path, f?.FromPath }).OfType<string>()];

    private WritState CurrentWrit(AgentSession session) =>
        runtime.ListWrits().FirstOrDefault(w => w.Id == session.WritId)
        ?? throw SurfaceException.Runtime(new RuntimeError(RuntimeErrorCode.WritUnknown, $"The session's writ '{session.WritId}' is not in this workspace's ledger. Open a new session with a token from `thymos grant`."));

    private WritState UsableWrit(AgentSession session)
    {
        var (writ, refused) = runtime.UsableWrit(session);
        return writ ?? throw SurfaceException.Runtime(refused!);
    }

    /// <summary>Ends a subscription to change signals.</summary>
    private sealed class Subscription(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
