// The backend that talks to a running sidecar over its Unix domain socket (JSON-RPC, LSP framing).
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using OpenThymos.Cli.Errors;
using OpenThymos.Core.Replay;
using OpenThymos.Server.Protocol;
using StreamJsonRpc;

namespace OpenThymos.Cli.Transport;

/// <summary>A session on the sidecar socket, opened with the operator token or a writ token.</summary>
internal sealed class SocketBackend : IOperatorBackend, IAgentBackend
{
    private readonly JsonRpc _rpc;
    private readonly string _socketPath;
    private IProgress<LedgerProgress>? _progress;
    private string? _progressToken;

    private SocketBackend(JsonRpc rpc, string socketPath)
    {
        _rpc = rpc;
        _socketPath = socketPath;
    }

    /// <summary>
    /// Connects within 5 s, or returns null when nothing listens. The connect blocks: when another client floods
    /// the socket and its accept queue is full, a blocking Unix socket connect waits in the kernel for room (up to
    /// the send timeout) and is woken at each accept, where a non-blocking one fails at once with EAGAIN and
    /// would be taken for a missing sidecar.
    /// </summary>
    private static async Task<Socket?> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { SendTimeout = 5000 };
        try
        {
            await Task.Run(() => socket.Connect(new UnixDomainSocketEndPoint(socketPath)), cancellationToken).ConfigureAwait(false);
            socket.SendTimeout = 0;
            return socket;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.TryAgain or SocketError.WouldBlock or SocketError.TimedOut)
        {
            socket.Dispose();
            throw new IOException($"The sidecar at {socketPath} did not accept a connection within 5 s: its accept queue stayed full, so another client is flooding it with connections. Find that client (the sidecar's log names its process), stop it, and try again.", exception);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <inheritdoc />
    public string Description => $"the sidecar at {_socketPath}";

    /// <summary>
    /// Connects and opens a session, or returns null when no sidecar listens (no socket file, or connection refused).
    /// </summary>
    public static async Task<SocketBackend?> TryConnectAsync(string socketPath, Func<string> token, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }

        var socket = await ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        if (socket is null)
        {
            return null;
        }

        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.TypeInfoResolver = JsonTypeInfoResolver.Combine(ProtocolJsonContext.Default, new DefaultJsonTypeInfoResolver());
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, formatter));
        var backend = new SocketBackend(rpc, socketPath);
        rpc.AddLocalRpcMethod(
            typeof(SocketBackend).GetMethod(nameof(OnProgress), BindingFlags.NonPublic | BindingFlags.Instance)!,
            backend,
            new JsonRpcMethodAttribute(ProtocolMethods.LedgerDidProgress) { UseSingleObjectParameterDeserialization = true });
        rpc.StartListening();
        try
        {
            await backend.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = token() }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return backend;
    }

    /// <inheritdoc />
    public Task<ListProposalsResult> ListProposalsAsync(ListProposalsParams request, CancellationToken cancellationToken) =>
        CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, request, cancellationToken);

    /// <inheritdoc />
    public Task<GetProposalResult> GetProposalAsync(string proposalId, CancellationToken cancellationToken) =>
        CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = proposalId }, cancellationToken);

    /// <inheritdoc />
    public Task<DecisionResultInfo> ApproveAsync(ApproveProposalParams request, CancellationToken cancellationToken) =>
        CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, request, cancellationToken);

    /// <inheritdoc />
    public Task<DecisionResultInfo> RejectAsync(RejectProposalParams request, CancellationToken cancellationToken) =>
        CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalReject, request, cancellationToken);

    /// <inheritdoc />
    public Task<ListEntriesResult> ListEntriesAsync(ListEntriesParams request, CancellationToken cancellationToken) =>
        CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, request, cancellationToken);

    /// <inheritdoc />
    public Task<GetEntryResult> GetEntryAsync(long seq, CancellationToken cancellationToken) =>
        CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = seq }, cancellationToken);

    /// <inheritdoc />
    public async Task<VerifyResultInfo> VerifyAsync(IProgress<LedgerProgress>? progress, CancellationToken cancellationToken)
    {
        var token = progress is null ? null : "verify-" + Guid.NewGuid().ToString("N");
        (_progress, _progressToken) = (progress, token);
        try
        {
            return await CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams { ProgressToken = token }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (_progress, _progressToken) = (null, null);
        }
    }

    /// <inheritdoc />
    public Task<ReplayResultInfo> ReplayAsync(long? toSeq, CancellationToken cancellationToken) =>
        CallAsync<ReplayResultInfo>(ProtocolMethods.LedgerReplay, new LedgerWorkParams { ToSeq = toSeq }, cancellationToken);

    /// <inheritdoc />
    public Task<DriftResultInfo> GetDriftAsync(CancellationToken cancellationToken) =>
        CallAsync<DriftResultInfo>(ProtocolMethods.LedgerGetDrift, new LedgerWorkParams(), cancellationToken);

    /// <inheritdoc />
    public Task<DecisionResultInfo> RevertAsync(RevertCommitParams request, CancellationToken cancellationToken) =>
        CallAsync<DecisionResultInfo>(ProtocolMethods.LedgerRevertCommit, request, cancellationToken);

    /// <inheritdoc />
    public Task<IssueWritResult> IssueWritAsync(IssueWritParams request, CancellationToken cancellationToken) =>
        CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, request, cancellationToken);

    /// <inheritdoc />
    public Task RevokeWritAsync(RevokeWritParams request, CancellationToken cancellationToken) =>
        CallAsync<EmptyResult>(ProtocolMethods.WritRevoke, request, cancellationToken);

    /// <inheritdoc />
    public Task<GetPolicyResult> GetPolicyAsync(CancellationToken cancellationToken) =>
        CallAsync<GetPolicyResult>(ProtocolMethods.PolicyGet, null, cancellationToken);

    /// <inheritdoc />
    public Task<GetPolicyResult> AdoptPolicyAsync(AdoptPolicyParams request, CancellationToken cancellationToken) =>
        CallAsync<GetPolicyResult>(ProtocolMethods.PolicyAdopt, request, cancellationToken);

    /// <inheritdoc />
    public Task<ReadFileResult> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        CallAsync<ReadFileResult>(ProtocolMethods.FileRead, new ReadFileParams { Path = path }, cancellationToken);

    /// <inheritdoc />
    public Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken) =>
        CallAsync<ListFilesResult>(ProtocolMethods.FileList, request, cancellationToken);

    /// <inheritdoc />
    public Task<SubmitIntentResult> SubmitAsync(SubmitIntentParams request, CancellationToken cancellationToken) =>
        CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, request, cancellationToken);

    /// <inheritdoc />
    public Task<ProposalStatusResult> GetStatusAsync(string proposalId, CancellationToken cancellationToken) =>
        CallAsync<ProposalStatusResult>(ProtocolMethods.ProposalGetStatus, new ProposalStatusParams { ProposalId = proposalId }, cancellationToken);

    /// <inheritdoc />
    public Task<ProposalStatusResult> WaitDecisionAsync(string proposalId, int timeoutMs, CancellationToken cancellationToken) =>
        CallAsync<ProposalStatusResult>(ProtocolMethods.ProposalWaitDecision, new WaitDecisionParams { ProposalId = proposalId, TimeoutMs = timeoutMs }, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnProgress(LedgerDidProgressParams notification)
    {
        if (notification.Token == _progressToken)
        {
            _progress?.Report(new LedgerProgress(notification.Done, notification.Total));
        }
    }

    private async Task<T> CallAsync<T>(string method, object? request, CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.InvokeWithParameterObjectAsync<T>(method, request, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteInvocationException ex)
        {
            throw CliException.FromCode(ex.ErrorCode, $"{ex.Message} (sidecar at {_socketPath}, {method}, code {ex.ErrorCode})");
        }
        catch (ConnectionLostException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"The sidecar at {_socketPath} closed the connection during {method} ({ex.Message}). Check that it is still running (`thymos serve`), then retry.");
        }
    }
}
