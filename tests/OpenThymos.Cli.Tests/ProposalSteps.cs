// The agent's and the reviewer's usual steps through the real `thymos` executable, shared by the CLI test classes.
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

/// <summary>Propose a file's new text as an agent, approve a revision as the reviewer; each step asserts that it succeeded.</summary>
public static class ProposalSteps
{
    /// <summary>
    /// Runs <c>thymos propose --path PATH --from SOURCE --json</c> as the agent holding <paramref name="token"/> (given by
    /// <c>THYMOS_WRIT</c>), with <c>-m DESCRIPTION</c> when one is given; asserts that it exits with 0 and returns the proposal id.
    /// </summary>
    public static async Task<string> ProposeAsync(this TempWorkspace workspace, string token, string path, string newText, string? description = null)
    {
        string[] args = ["propose", "--path", path, "--from", workspace.WriteOutside(newText), .. description is null ? Array.Empty<string>() : ["-m", description], "--json"];
        var run = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, args);
        Assert.True(run.ExitCode == 0, $"thymos propose --path {path} exited {run.ExitCode}: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.GetProperty("proposalId").GetString()!;
    }

    /// <summary>
    /// Runs <c>thymos approve PROPOSAL@REVISION --json</c> (the revision the reviewer saw) with any further options, such as
    /// <c>--hunk</c>; asserts that it exits with 0 and returns the decision (its <c>outcome</c>, <c>commitSeq</c>, …).
    /// </summary>
    public static Task<JsonElement> ApproveAsync(this TempWorkspace workspace, string proposalId, int revision = 1, params string[] options) =>
        workspace.JsonAsync(["approve", proposalId + "@" + revision.ToString(CultureInfo.InvariantCulture), .. options]);
}
