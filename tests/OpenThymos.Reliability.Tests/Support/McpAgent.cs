// A real `thymos mcp` child process driven by the MCP C# SDK's client, as an agent would run it.
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>An MCP client connected to <c>thymos mcp</c> for a workspace served by a running sidecar.</summary>
public sealed class McpAgent : IAsyncDisposable
{
    private readonly McpClient _client;

    private McpAgent(McpClient client) => _client = client;

    public static async Task<McpAgent> StartAsync(SidecarProcess sidecar, string token)
    {
        using var timeout = new CancellationTokenSource(SidecarProcess.Timeout);
        return new McpAgent(await ThymosMcp.ConnectAsync(sidecar.Workspace, sidecar.KeyDirectory, token, timeout.Token));
    }

    /// <summary>Calls a tool; returns whether it was a tool error and its text.</summary>
    public async Task<(bool IsError, string Text)> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments)
    {
        using var timeout = new CancellationTokenSource(SidecarProcess.Timeout);
        var result = await _client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
        return (result.IsError ?? false, string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
