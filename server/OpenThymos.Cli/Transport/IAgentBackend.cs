// What an agent (the MCP server, `thymos propose`) asks of the runtime under a writ.
using OpenThymos.Cli.Errors;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Transport;

/// <summary>The agent surface. Refusals throw <see cref="CliException"/>.</summary>
internal interface IAgentBackend : IAsyncDisposable
{
    /// <summary>How this backend reaches the runtime, for messages.</summary>
    string Description { get; }

    /// <summary>Reads a workspace file and its hash.</summary>
    Task<ReadFileResult> ReadFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Lists workspace files.</summary>
    Task<ListFilesResult> ListFilesAsync(ListFilesParams request, CancellationToken cancellationToken);

    /// <summary>Submits an intent; it becomes a proposal a human reviews.</summary>
    Task<SubmitIntentResult> SubmitAsync(SubmitIntentParams request, CancellationToken cancellationToken);

    /// <summary>The status of a proposal.</summary>
    Task<ProposalStatusResult> GetStatusAsync(string proposalId, CancellationToken cancellationToken);

    /// <summary>Waits until the proposal is decided or the timeout passes.</summary>
    Task<ProposalStatusResult> WaitDecisionAsync(string proposalId, int timeoutMs, CancellationToken cancellationToken);
}
