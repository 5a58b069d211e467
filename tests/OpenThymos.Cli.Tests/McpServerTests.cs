// Drives `thymos mcp` with the MCP C# SDK's client: tools, read, propose, review through the CLI, status.
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class McpServerTests
{
    [Fact]
    public async Task AnAgentReadsProposesAndLearnsThatTheHumanApprovedItWithoutASidecar() => await AgentFlowAsync(withSidecar: false);

    [Fact]
    public async Task AnAgentReadsProposesAndLearnsThatTheHumanApprovedItThroughARunningSidecar() => await AgentFlowAsync(withSidecar: true);

    [Fact]
    public async Task AnEditWithAStaleHashComesBackAsAToolErrorWithTheRuntimesMessage()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync("agent-x");
        await using var client = await ConnectAsync(workspace, token);

        var result = await client.CallToolAsync(
            "propose_edit",
            new Dictionary<string, object?> { ["path"] = "a.txt", ["baseHash"] = new string('0', 64), ["content"] = "two\n" },
            cancellationToken: Timeout());

        Assert.True(result.IsError);
        Assert.Contains("a.txt", Text(result), StringComparison.Ordinal);
        Assert.Equal("one\n", workspace.ReadText("a.txt"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadsOutsideTheWritsScopeAreToolErrors(bool withSidecar)
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        Directory.CreateDirectory(Path.Combine(workspace.Workspace, "src"));
        workspace.Write("src/in.txt", "in scope\n");
        workspace.Write("secret.txt", "out of scope\n");
        var grant = await workspace.RunAsync("grant", "--agent", "scoped", "--include", "src/**");
        Assert.True(grant.ExitCode == 0, grant.Stderr);
        await using var sidecar = withSidecar ? await workspace.ServeAsync() : null;
        await using var client = await ConnectAsync(workspace, grant.Stdout.Trim());

        var outside = await client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = "secret.txt" }, cancellationToken: Timeout());
        var listed = Json(await client.CallToolAsync("list_files", new Dictionary<string, object?>(), cancellationToken: Timeout()));

        Assert.True(outside.IsError);
        Assert.Contains("outside writ", Text(outside), StringComparison.Ordinal);
        Assert.Equal(["src/in.txt"], listed.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
    }

    private static async Task AgentFlowAsync(bool withSidecar)
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "alpha\nbeta\n");
        var token = await workspace.GrantAsync("claude");
        await using var sidecar = withSidecar ? await workspace.ServeAsync() : null;
        await using var client = await ConnectAsync(workspace, token);

        var tools = await client.ListToolsAsync(cancellationToken: Timeout());
        Assert.Equal(
            ["list_files", "proposal_status", "propose_create", "propose_delete", "propose_edit", "propose_rename", "read_file"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var edit = tools.Single(t => t.Name == "propose_edit");
        Assert.Contains("human", edit.Description, StringComparison.Ordinal);
        Assert.Contains("read_file", edit.Description, StringComparison.Ordinal);
        Assert.Contains("proposal_status", edit.Description, StringComparison.Ordinal);

        var listed = Json(await client.CallToolAsync("list_files", new Dictionary<string, object?>(), cancellationToken: Timeout()));
        Assert.Contains(listed.GetProperty("files").EnumerateArray(), f => f.GetString() == "a.txt");

        var read = Json(await client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = "a.txt" }, cancellationToken: Timeout()));
        Assert.Equal("alpha\nbeta\n", read.GetProperty("text").GetString());
        var hash = read.GetProperty("hash").GetString()!;

        var proposed = Json(await client.CallToolAsync(
            "propose_edit",
            new Dictionary<string, object?>
            {
                ["path"] = "a.txt",
                ["baseHash"] = hash,
                ["edits"] = new[] { new Dictionary<string, string> { ["search"] = "beta", ["replace"] = "gamma" } },
                ["description"] = "beta becomes gamma",
            },
            cancellationToken: Timeout()));
        var proposalId = proposed.GetProperty("proposalId").GetString()!;
        Assert.Equal("alpha\nbeta\n", workspace.ReadText("a.txt"));

        var pending = await workspace.JsonAsync("pending");
        Assert.Contains(pending.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("proposalId").GetString() == proposalId && p.GetProperty("agent").GetString() == "claude");

        var before = Json(await client.CallToolAsync("proposal_status", new Dictionary<string, object?> { ["proposalId"] = proposalId }, cancellationToken: Timeout()));
        Assert.Equal("pending", before.GetProperty("status").GetString());
        Assert.False(before.GetProperty("decided").GetBoolean());

        await workspace.ApproveAsync(proposalId, 1);

        var after = Json(await client.CallToolAsync("proposal_status", new Dictionary<string, object?> { ["proposalId"] = proposalId, ["waitSeconds"] = 20 }, cancellationToken: Timeout()));
        Assert.Equal("approved", after.GetProperty("status").GetString());
        Assert.True(after.GetProperty("decided").GetBoolean());
        Assert.NotEmpty(after.GetProperty("commitSeqs").EnumerateArray());
        Assert.Equal("alpha\ngamma\n", workspace.ReadText("a.txt"));
    }

    private static Task<McpClient> ConnectAsync(TempWorkspace workspace, string token) =>
        ThymosMcp.ConnectAsync(workspace.Workspace, workspace.KeyDirectory, token, Timeout());

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static JsonElement Json(CallToolResult result)
    {
        Assert.False(result.IsError ?? false, Text(result));
        using var document = JsonDocument.Parse(Text(result));
        return document.RootElement.Clone();
    }
}
