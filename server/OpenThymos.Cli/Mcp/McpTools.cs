// The MCP tools `thymos mcp` offers an agent; each forwards to the workspace's runtime under the agent's writ.
using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Cli.Workspace;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Mcp;

/// <summary>Builds the tools; every call connects to the sidecar (or the ledger directly) for that call only.</summary>
internal sealed class McpTools(WorkspaceLocation location, string writToken)
{
    private const string ProposalNote =
        " This does NOT change the file: it creates a proposal that a human reviews and may approve (in whole or per hunk) or reject. " +
        "The result carries a proposalId; call proposal_status with it (optionally waiting) to learn whether it was committed, rejected or went stale.";

    private const string HashNote = " baseHash must be the hash read_file returned for this file; if the file changed since, the proposal is refused as stale: read it again.";

    /// <summary>The tools.</summary>
    public IEnumerable<McpServerTool> Create()
    {
        yield return Tool("read_file", "Read a workspace file. Returns its text (or base64 for binary files) and its hash; keep the hash: every edit, delete or rename must send it as baseHash.", async (
            [Description("Workspace-relative path, e.g. src/app.ts.")] string path,
            CancellationToken ct = default) => await CallAsync(b => b.ReadFileAsync(path, ct), ct).ConfigureAwait(false));

        yield return Tool("list_files", "List workspace files (protected paths such as .git and .thymos are omitted).", async (
            [Description("Optional glob, e.g. src/**/*.ts.")] string? glob = null,
            [Description("Optional maximum number of paths (default 1000).")] int? limit = null,
            CancellationToken ct = default) => await CallAsync(b => b.ListFilesAsync(new ListFilesParams { Glob = glob, Limit = limit }, ct), ct).ConfigureAwait(false));

        yield return Tool("propose_edit", "Propose a change to an existing file, as search/replace blocks (each search text must occur exactly once) or as the full new content." + HashNote + ProposalNote, async (
            [Description("Workspace-relative path of the existing file.")] string path,
            [Description("The hash read_file returned for this file.")] string baseHash,
            [Description("Search/replace blocks; each search must occur exactly once in the file. Omit when sending content.")] EditInfo[]? edits = null,
            [Description("The complete new text of the file. Omit when sending edits.")] string? content = null,
            [Description("What the change is for, for the reviewer.")] string? description = null,
            CancellationToken ct = default) => await SubmitAsync(new FileIntentInfo { Kind = "modify", Path = path, BaseHash = baseHash, Edits = edits, Content = content }, description, ct).ConfigureAwait(false));

        yield return Tool("propose_create", "Propose creating a new file with the given content." + ProposalNote, async (
            [Description("Workspace-relative path of the new file.")] string path,
            [Description("The complete text of the new file.")] string content,
            [Description("What the file is for, for the reviewer.")] string? description = null,
            CancellationToken ct = default) => await SubmitAsync(new FileIntentInfo { Kind = "create", Path = path, Content = content }, description, ct).ConfigureAwait(false));

        yield return Tool("propose_delete", "Propose deleting a file." + HashNote + ProposalNote, async (
            [Description("Workspace-relative path of the file to delete.")] string path,
            [Description("The hash read_file returned for this file.")] string baseHash,
            [Description("Why, for the reviewer.")] string? description = null,
            CancellationToken ct = default) => await SubmitAsync(new FileIntentInfo { Kind = "delete", Path = path, BaseHash = baseHash }, description, ct).ConfigureAwait(false));

        yield return Tool("propose_rename", "Propose renaming (moving) a file." + HashNote + ProposalNote, async (
            [Description("The existing workspace-relative path.")] string fromPath,
            [Description("The new workspace-relative path.")] string toPath,
            [Description("The hash read_file returned for fromPath.")] string baseHash,
            [Description("Why, for the reviewer.")] string? description = null,
            CancellationToken ct = default) => await SubmitAsync(new FileIntentInfo { Kind = "rename", Path = toPath, FromPath = fromPath, BaseHash = baseHash }, description, ct).ConfigureAwait(false));

        yield return Tool("proposal_status", "The status of a proposal (pending, approved, partiallyApproved, rejected, stale or failed), its commit entries and the reason of a rejection. With waitSeconds > 0, waits up to that long for a human's decision (timedOut tells whether it came).", async (
            [Description("The proposalId a propose_* tool returned.")] string proposalId,
            [Description("Seconds to wait for the decision (0 = do not wait; at most 600).")] int? waitSeconds = null,
            CancellationToken ct = default) =>
        {
            var wait = Math.Clamp(waitSeconds ?? 0, 0, 600);
            return await CallAsync(b => wait == 0 ? b.GetStatusAsync(proposalId, ct) : b.WaitDecisionAsync(proposalId, wait * 1000, ct), ct).ConfigureAwait(false);
        });
    }

    private static McpServerTool Tool(string name, string description, Delegate body) =>
        McpServerTool.Create(body, new McpServerToolCreateOptions { Name = name, Description = description });

    private async Task<CallToolResult> SubmitAsync(FileIntentInfo file, string? description, CancellationToken cancellationToken)
    {
        var request = new SubmitIntentParams { Nonce = Writ.NewNonce(), Description = description ?? $"{file.Kind} {file.Path}", Files = [file] };
        return await CallAsync(b => b.SubmitAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one call on a fresh connection; the result is JSON text, a refusal is a tool error carrying the runtime's message.</summary>
    private async Task<CallToolResult> CallAsync<T>(Func<IAgentBackend, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            await using var backend = await BackendFactory.AgentAsync(location, writToken, cancellationToken).ConfigureAwait(false);
            var value = await call(backend).ConfigureAwait(false);
            return new CallToolResult { Content = [new TextContentBlock { Text = CliJson.Serialize(value) }] };
        }
        catch (CliException ex)
        {
            return Error(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LiteDB.LiteException or InvalidOperationException or FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"thymos mcp: {ex}").ConfigureAwait(false);
            return Error($"{ex.GetType().Name}: {ex.Message} (workspace {location.Root}). Nothing was changed by this call; ask the user to check the workspace and its ledger (`thymos verify`), then retry.");
        }
    }

    private static CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };
}
