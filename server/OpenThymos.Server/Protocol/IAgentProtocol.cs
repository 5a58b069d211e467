// The agent surface of the local socket.
using StreamJsonRpc;

namespace OpenThymos.Server.Protocol;

/// <summary>
/// Requests an agent may make over the socket after <c>session/open</c>. Every proposal is
/// attributed to the session's agent and writ.
/// </summary>
public interface IAgentProtocol
{
    /// <summary>Open a session with a writ token (or an operator token).</summary>
    [JsonRpcMethod(ProtocolMethods.SessionOpen, UseSingleObjectParameterDeserialization = true)]
    Task<OpenSessionResult> OpenSessionAsync(OpenSessionParams request, CancellationToken cancellationToken);

    /// <summary>Read a file in scope.</summary>
    [JsonRpcMethod(ProtocolMethods.FileRead, UseSingleObjectParameterDeserialization = true)]
    Task<ReadFileResult> ReadFileAsync(ReadFileParams request, CancellationToken cancellationToken);

    /// <summary>List files in scope.</summary>
    [JsonRpcMethod(ProtocolMethods.FileList, UseSingleObjectParameterDeserialization = true)]
    Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken);

    /// <summary>Submit an intent.</summary>
    [JsonRpcMethod(ProtocolMethods.IntentSubmit, UseSingleObjectParameterDeserialization = true)]
    Task<SubmitIntentResult> SubmitIntentAsync(SubmitIntentParams request, CancellationToken cancellationToken);

    /// <summary>A proposal's status.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalGetStatus, UseSingleObjectParameterDeserialization = true)]
    Task<ProposalStatusResult> GetProposalStatusAsync(ProposalStatusParams request, CancellationToken cancellationToken);

    /// <summary>Wait for a decision.</summary>
    [JsonRpcMethod(ProtocolMethods.ProposalWaitDecision, UseSingleObjectParameterDeserialization = true)]
    Task<ProposalStatusResult> WaitDecisionAsync(WaitDecisionParams request, CancellationToken cancellationToken);
}
