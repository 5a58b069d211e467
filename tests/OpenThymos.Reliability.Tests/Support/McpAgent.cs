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
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "thymos",
            Command = "dotnet",
            Arguments = [BuiltPrograms.ThymosDll, "mcp", "--workspace", sidecar.Workspace, "--key-dir", sidecar.KeyDirectory],
            EnvironmentVariables = new Dictionary<string, string?> { ["THYMOS_WRIT"] = token, ["OPENTHYMOS_KEY_DIR"] = sidecar.KeyDirectory },
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        using var timeout = new CancellationTokenSource(SidecarProcess.Timeout);
        return new McpAgent(await McpClient.CreateAsync(transport, cancellationToken: timeout.Token));
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
