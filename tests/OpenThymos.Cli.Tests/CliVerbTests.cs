// End-to-end tests of the thymos verbs, run as a real process, with and without a sidecar.
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class CliVerbTests
{
    [Fact]
    public async Task HelpListsEveryVerbAndTheExitCodes()
    {
        var run = await ThymosProcess.RunAsync(["--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "serve", "mcp", "propose", "pending", "show", "approve", "reject", "log", "verify", "replay", "drift", "revert", "grant", "revoke", "export" })
        {
            Assert.Contains(verb, run.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("4  verification found problems", run.Stdout, StringComparison.Ordinal);
        var verbHelp = await ThymosProcess.RunAsync(["approve", "--help"]);
        Assert.Equal(0, verbHelp.ExitCode);
        Assert.Contains("--hunk", verbHelp.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", verbHelp.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedCommandLineExitsWithTwoAndPointsToHelp()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);

        var missingArgument = await workspace.RunAsync("approve");
        var unknownVerb = await workspace.RunAsync("frobnicate");

        Assert.Equal(2, missingArgument.ExitCode);
        Assert.Contains("--help", missingArgument.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknownVerb.ExitCode);
    }

    [Fact]
    public async Task ReadingAFolderWithoutALedgerExitsWithOneAndSaysHowToCreateIt()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);

        var run = await workspace.RunAsync("pending");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No ledger at", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("thymos grant", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Workspace, ".thymos")));
    }

    [Fact]
    public async Task ProposingProposalsArePendingUntilApprovedThroughTheCliWithoutASidecar() => await RoundTripAsync(withSidecar: false);

    [Fact]
    public async Task TheSameRoundTripWorksThroughARunningSidecar() => await RoundTripAsync(withSidecar: true);

    [Fact]
    public async Task RejectingRecordsTheReasonAndLeavesTheFileUnchanged()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var proposalId = await workspace.ProposeAsync(token, "a.txt", "two\n");

        var rejected = await workspace.JsonAsync("reject", proposalId, "--reason", "not now");
        var log = await workspace.JsonAsync("log", "--kind", "proposal.rejected");

        Assert.Equal("rejected", rejected.GetProperty("outcome").GetString());
        Assert.Equal("one\n", workspace.ReadText("a.txt"));
        Assert.Contains(log.GetProperty("entries").EnumerateArray(), e => e.GetProperty("proposalId").GetString() == proposalId);
        var pending = await workspace.JsonAsync("pending");
        Assert.Empty(pending.GetProperty("proposals").EnumerateArray());
    }

    [Fact]
    public async Task ProposingAUnifiedDiffStagesItsHunksAndCreatingANewFileNeedsNoHash()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "hello\nworld\n");
        var token = await workspace.GrantAsync();
        var diff = Path.Combine(workspace.Root, "change.diff");
        File.WriteAllText(diff, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n hello\n-world\n+there\n");
        var env = new Dictionary<string, string> { ["THYMOS_WRIT"] = token };

        var fromDiff = await workspace.RunWithEnvAsync(env, "propose", "--path", "a.txt", "--diff", diff, "-m", "greet there");
        var created = await workspace.ProposeAsync(token, "b.txt", "new file\n");
        var pending = await workspace.JsonAsync("pending");
        var shown = await workspace.JsonAsync("show", created);

        Assert.True(fromDiff.ExitCode == 0, fromDiff.Stderr);
        Assert.Contains("staged", fromDiff.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, pending.GetProperty("proposals").GetArrayLength());
        Assert.Contains(pending.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("description").GetString() == "greet there");
        Assert.Equal("create", shown.GetProperty("files")[0].GetProperty("effect").GetString());
        Assert.False(File.Exists(Path.Combine(workspace.Workspace, "b.txt")));
    }

    [Fact]
    public async Task TheMcpServerWithoutAWritExitsWithTwoAndSaysHowToGetOne()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();

        var run = await workspace.RunAsync("mcp");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("thymos grant", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task ApprovingAnUnknownProposalExitsWithOneAndNamesIt()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();

        var run = await workspace.RunAsync("approve", "p_doesnotexist");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("p_doesnotexist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposingWithoutAWritExitsWithTwoAndSaysWhereToGetOne()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();
        workspace.Write("a.txt", "x\n");
        File.WriteAllText(Path.Combine(workspace.Root, "new.txt"), "y\n");

        var run = await workspace.RunAsync("propose", "--path", "a.txt", "--from", Path.Combine(workspace.Root, "new.txt"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("THYMOS_WRIT", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingAWritMakesItsTokenUseless()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "x\n");
        var grant = await workspace.JsonAsync("grant", "--agent", "bot", "--effects", "modify", "--ttl", "1h");
        var token = grant.GetProperty("token").GetString()!;
        var writId = grant.GetProperty("writ").GetProperty("writId").GetString()!;
        Assert.Equal(["modify"], grant.GetProperty("writ").GetProperty("effects").EnumerateArray().Select(e => e.GetString()));

        var revoke = await workspace.RunAsync("revoke", writId, "--reason", "done");
        File.WriteAllText(Path.Combine(workspace.Root, "new.txt"), "y\n");
        var propose = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, "propose", "--path", "a.txt", "--from", Path.Combine(workspace.Root, "new.txt"));

        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(1, propose.ExitCode);
        Assert.Contains(writId, propose.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExitsWithFourWhenTheSignedHeadAnchorNoLongerMatches()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();
        var anchor = Directory.EnumerateFiles(workspace.KeyDirectory, "head.json", SearchOption.AllDirectories).Single();
        var text = File.ReadAllText(anchor);
        var tampered = text.Replace("\"seq\":3", "\"seq\":2", StringComparison.Ordinal).Replace("\"seq\": 3", "\"seq\": 2", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        File.WriteAllText(anchor, tampered);

        var run = await workspace.RunAsync("verify");
        var json = await workspace.RunAsync("verify", "--json");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal(4, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.NotEmpty(document.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task AWriteWhileAnotherProcessHoldsTheLedgerWithoutASocketExitsWithThree()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();
        // Closing its stdin at the end lets it exit and release the lock.
        await using var holder = SidecarProcess.Start(workspace.Workspace, workspace.KeyDirectory, new SidecarStart { Arguments = ["--no-socket"], LogLevel = null });
        await holder.WaitForLogAsync("serving", TimeSpan.FromSeconds(30));

        Assert.Contains("serving", holder.Stderr, StringComparison.Ordinal);
        var run = await workspace.RunAsync("grant", "--agent", "second");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("locked", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task RoundTripAsync(bool withSidecar)
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "hello\nworld\n");
        var token = await workspace.GrantAsync();
        await using var sidecar = withSidecar ? await workspace.ServeAsync() : null;

        var proposalId = await workspace.ProposeAsync(token, "a.txt", "hello\nthere\n");
        var pending = await workspace.JsonAsync("pending");
        var pendingText = await workspace.RunAsync("pending");
        var show = await workspace.RunAsync("show", proposalId);

        Assert.Equal("hello\nworld\n", workspace.ReadText("a.txt"));
        var listed = Assert.Single(pending.GetProperty("proposals").EnumerateArray());
        Assert.Equal(proposalId, listed.GetProperty("proposalId").GetString());
        Assert.Equal("pending", listed.GetProperty("status").GetString());
        Assert.Contains(proposalId, pendingText.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("-world", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("+there", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("a.txt#h1", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", show.Stdout, StringComparison.Ordinal);

        Assert.Contains($"proposal {proposalId}@1", show.Stdout, StringComparison.Ordinal);
        var approved = await workspace.ApproveAsync(proposalId, 1, "--hunk", "a.txt#h1");

        Assert.Equal("committed", approved.GetProperty("outcome").GetString());
        Assert.Equal("hello\nthere\n", workspace.ReadText("a.txt"));
        var commitSeq = approved.GetProperty("commitSeq").GetInt64();

        var log = await workspace.JsonAsync("log", "--limit", "5");
        var logText = await workspace.RunAsync("log");
        var verify = await workspace.JsonAsync("verify");
        var verifyText = await workspace.RunAsync("verify");
        var replay = await workspace.JsonAsync("replay", "--to", (commitSeq - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var drift = await workspace.JsonAsync("drift");

        Assert.Contains(log.GetProperty("entries").EnumerateArray(), e => e.GetProperty("seq").GetInt64() == commitSeq && e.GetProperty("kind").GetString() == "commit");
        Assert.Contains(proposalId, logText.Stdout, StringComparison.Ordinal);
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(0, verifyText.ExitCode);
        Assert.StartsWith("ok:", verifyText.Stdout, StringComparison.Ordinal);
        Assert.Equal(commitSeq - 1, replay.GetProperty("seq").GetInt64());
        Assert.Empty(drift.GetProperty("items").EnumerateArray());

        var revert = await workspace.JsonAsync("revert", commitSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "undo");
        Assert.Equal("committed", revert.GetProperty("outcome").GetString());
        Assert.Equal("hello\nworld\n", workspace.ReadText("a.txt"));

        var exportPath = Path.Combine(workspace.Root, "export.json");
        var export = await workspace.RunAsync("export", "--out", exportPath);
        Assert.Equal(0, export.ExitCode);
        using var exported = JsonDocument.Parse(File.ReadAllText(exportPath));
        var entries = exported.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(1, entries[0].GetProperty("seq").GetInt64());
        Assert.Equal("genesis", entries[0].GetProperty("kind").GetString());
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "commit" && e.GetProperty("payload").GetProperty("proposalId").GetString() == proposalId);
        Assert.True(exported.RootElement.GetProperty("verification").GetProperty("valid").GetBoolean());
    }
}
