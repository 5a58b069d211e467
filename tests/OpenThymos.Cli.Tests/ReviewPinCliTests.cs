// `thymos approve PROPOSAL@REV` approves only the revision the reviewer saw, and a retried approve or read-only drift after an
// interrupted apply say what happened instead of blaming someone outside the ledger.
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class ReviewPinCliTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    [Fact]
    public async Task ApproveNeedsTheRevisionShownAndRefusesOneTheAgentRevisedSince()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", Ten);
        var token = await workspace.GrantAsync();
        var proposalId = await workspace.ProposeAsync(token, "a.txt", Ten.Replace("9\n", "NINE\n", StringComparison.Ordinal));
        var shown = await workspace.RunAsync("show", proposalId);
        Assert.Contains($"proposal {proposalId}@1 ", shown.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"a\.txt#h1 \[pending\] digest [0-9a-f]{12}", shown.Stdout);

        // The agent's shell edits another line after the reviewer looked; approving revision 1 finds the file changed and
        // rebases the proposal into revision 2 instead of writing.
        var shellEdit = "inserted\n" + Ten;
        workspace.Write("a.txt", shellEdit);
        var rebased = await workspace.ApproveAsync(proposalId, 1);
        Assert.Equal("rebased", rebased.GetProperty("outcome").GetString());

        var unnamed = await workspace.RunAsync("approve", proposalId);
        var older = await workspace.RunAsync("approve", proposalId + "@1");
        var malformed = await workspace.RunAsync("approve", proposalId + "@two");

        Assert.Equal(1, unnamed.ExitCode);
        Assert.Contains("revision 2", unnamed.Stderr, StringComparison.Ordinal);
        Assert.Contains($"thymos approve {proposalId}@2", unnamed.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, older.ExitCode);
        Assert.Contains("not the revision 1 you reviewed", older.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal(shellEdit, workspace.ReadText("a.txt"));

        var approved = await workspace.ApproveAsync(proposalId, 2);
        Assert.Equal("committed", approved.GetProperty("outcome").GetString());
        Assert.Equal(shellEdit.Replace("9\n", "NINE\n", StringComparison.Ordinal), workspace.ReadText("a.txt"));
        var approval = await ApprovalPayloadAsync(workspace);
        Assert.True(approval.TryGetProperty("hunkDigests", out var digests));
        Assert.Matches("^[0-9a-f]{64}$", digests.GetProperty("a.txt#h1").GetString()!);
    }

    [Fact]
    public async Task ApproveCurrentApprovesWithoutARevisionAndTheLedgerRecordsItAsUnpinned()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", Ten);
        var token = await workspace.GrantAsync();
        var proposalId = await workspace.ProposeAsync(token, "a.txt", Ten.Replace("9\n", "NINE\n", StringComparison.Ordinal));

        var approved = await workspace.JsonAsync("approve", proposalId, "--current");

        Assert.Equal("committed", approved.GetProperty("outcome").GetString());
        Assert.False((await ApprovalPayloadAsync(workspace)).GetProperty("pinned").GetBoolean());
    }

    [Fact]
    public async Task AfterAKillBetweenTheCommitAndTheRenameDriftSaysPendingRedoAndARetriedApproveNamesTheCommit()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", Ten);
        var token = await workspace.GrantAsync();
        var proposalId = await workspace.ProposeAsync(token, "a.txt", Ten.Replace("9\n", "NINE\n", StringComparison.Ordinal));
        var committed = await workspace.ApproveAsync(proposalId, 1);
        var commitSeq = committed.GetProperty("commitSeq").GetInt64();

        // What a SIGKILL after the approval and commit were durable but before the rename leaves: the file at its before
        // state and the applied-through mark before the approval entry (commitSeq - 1).
        workspace.Write("a.txt", Ten);
        File.WriteAllText(Path.Combine(workspace.Workspace, ".thymos", "applied-through"), (commitSeq - 2).ToString(CultureInfo.InvariantCulture) + "\n");

        var drift = await workspace.JsonAsync("drift");
        var driftText = await workspace.RunAsync("drift");
        var retried = await workspace.RunAsync("approve", proposalId + "@1");

        var item = Assert.Single(drift.GetProperty("items").EnumerateArray());
        Assert.Equal(("a.txt", "pendingRedo"), (item.GetProperty("path").GetString(), item.GetProperty("kind").GetString()));
        Assert.Contains("recovery writes it when the sidecar restarts", driftText.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, retried.ExitCode);
        Assert.Contains($"committed at entry {commitSeq}", retried.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing in it awaits a decision", retried.Stderr, StringComparison.Ordinal);
        Assert.Equal(Ten.Replace("9\n", "NINE\n", StringComparison.Ordinal), workspace.ReadText("a.txt"));
    }

    private static async Task<JsonElement> ApprovalPayloadAsync(TempWorkspace workspace)
    {
        var exportPath = Path.Combine(workspace.Root, Guid.NewGuid().ToString("N") + ".json");
        var export = await workspace.RunAsync("export", "--out", exportPath);
        Assert.True(export.ExitCode == 0, export.Stderr);
        using var exported = JsonDocument.Parse(File.ReadAllText(exportPath));
        return exported.RootElement.GetProperty("entries").EnumerateArray().Last(e => e.GetProperty("kind").GetString() == "proposal.approved").GetProperty("payload").Clone();
    }
}
