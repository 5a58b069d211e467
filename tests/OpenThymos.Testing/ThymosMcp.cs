// `thymos mcp` as an agent runs it: a child process spoken to by the MCP C# SDK's own client over stdio.
using ModelContextProtocol.Client;

namespace OpenThymos.Testing;

/// <summary>Starts <c>thymos mcp</c> for a workspace under a writ and connects the SDK's client to it.</summary>
public static class ThymosMcp
{
    /// <summary>
    /// Runs <c>dotnet thymos.dll mcp --workspace W --key-dir K</c> with the writ in <c>THYMOS_WRIT</c> (and the key
    /// directory in <c>OPENTHYMOS_KEY_DIR</c>) and returns the connected client; disposing it ends the process.
    /// </summary>
    public static async Task<McpClient> ConnectAsync(string workspace, string keyDirectory, string token, CancellationToken cancellationToken)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "thymos",
            Command = "dotnet",
            Arguments = [BuiltPrograms.ThymosDll, "mcp", "--workspace", workspace, "--key-dir", keyDirectory],
            EnvironmentVariables = new Dictionary<string, string?> { ["THYMOS_WRIT"] = token, ["OPENTHYMOS_KEY_DIR"] = keyDirectory },
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }
}
