// `thymos mcp`: a stdio MCP server (stdout is the transport; logs go to stderr) for coding agents.
using System.CommandLine;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Mcp;
using OpenThymos.Cli.Output;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds <c>thymos mcp</c>.</summary>
internal static class McpCommand
{
    private const string Instructions =
        "OpenThymos governs this workspace. You cannot write files directly: read_file gives a file's text and hash; " +
        "propose_edit, propose_create, propose_delete and propose_rename create proposals that a human reviews; " +
        "proposal_status tells you (optionally waiting) whether a proposal was committed, rejected or went stale.";

    /// <summary><c>thymos mcp</c>.</summary>
    public static Command Create()
    {
        var command = new Command("mcp", "Run an MCP server on stdio for a coding agent, acting under the writ from $THYMOS_WRIT, --writ-file or $THYMOS_WRIT_FILE (or --writ, which the process list shows to other users).") { GlobalOptions.Writ, GlobalOptions.WritFile };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var location = GlobalOptions.Location(result);
            var token = GlobalOptions.WritToken(result);
            if (string.IsNullOrEmpty(token))
            {
                throw new CliException(ExitCodes.Usage, "No writ token: set THYMOS_WRIT, or pass --writ-file PATH (a file holding the token). An operator issues one with `thymos grant --agent NAME`.");
            }

            location.RequireLedger();
            var tools = new McpServerPrimitiveCollection<McpServerTool>();
            foreach (var tool in new McpTools(location, token).Create())
            {
                tools.Add(tool);
            }

            var options = new McpServerOptions
            {
                ServerInfo = new Implementation { Name = "thymos", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString() ?? "0.1.0" },
                ServerInstructions = Instructions,
                ToolCollection = tools,
            };
            await Screen.ErrorAsync($"thymos mcp: serving {location.Root} on stdio").ConfigureAwait(false);
            await using var transport = new StdioServerTransport(options, null);
            await using var server = McpServer.Create(transport, options, null, null);
            await server.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
