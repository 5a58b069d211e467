// thymos policy show and adopt, run as a real process: a changed policy file is shown as not in force, and adopting
// it needs the hash of the text reviewed.
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class PolicyVerbTests
{
    private const string AutoApproveEverything = """{ "version": 1, "defaultOutcome": "auto-approve", "rules": [] }""";

    [Fact]
    public async Task AChangedPolicyFileIsShownAsNotInForceAndAdoptingItNeedsTheReviewedHash()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        await workspace.GrantAsync();
        workspace.Write(".thymos/policy.json", AutoApproveEverything);

        var shown = await workspace.JsonAsync("policy", "show");
        var diskHash = shown.GetProperty("diskHash").GetString()!;
        Assert.NotEqual(diskHash, shown.GetProperty("hash").GetString());
        Assert.Contains("not in force", shown.GetProperty("notice").GetString(), StringComparison.Ordinal);

        var wrong = await workspace.RunAsync("policy", "adopt", shown.GetProperty("hash").GetString()!);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("not the text you reviewed", wrong.Stderr, StringComparison.Ordinal);

        var adopted = await workspace.JsonAsync("policy", "adopt", diskHash);
        Assert.Equal(diskHash, adopted.GetProperty("hash").GetString());
        var after = await workspace.JsonAsync("policy", "show");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.TryGetProperty("diskHash", out var none) ? none.ValueKind : System.Text.Json.JsonValueKind.Null);
    }
}
