// policy/get shows the policy that governs (the recorded one) and a changed file as not in force; policy/adopt,
// from the editor, makes the reviewed text govern with the reviewer recorded as actor.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class PolicyAdoptTests
{
    private const string AutoApproveEverything = """{ "version": 1, "defaultOutcome": "auto-approve", "rules": [] }""";

    [Fact]
    public async Task PolicyGetShowsTheRecordedPolicyAndReportsAChangedFileAsNotInForceUntilTheReviewerAdoptsIt()
    {
        using var harness = new SidecarHarness();
        var editor = await harness.ConnectEditorAsync();
        var before = await editor.CallAsync<GetPolicyResult>(ProtocolMethods.PolicyGet);
        Assert.Null(before.DiskHash);

        harness.Temp.Write(".thymos/policy.json", AutoApproveEverything);
        var changed = await editor.CallAsync<GetPolicyResult>(ProtocolMethods.PolicyGet);
        Assert.Equal((before.Hash, before.Text, "default"), (changed.Hash, changed.Text, changed.Source));
        Assert.Equal(ContentHash.Of(harness.Temp.Read(".thymos/policy.json")).ToString(), changed.DiskHash);
        Assert.Equal(AutoApproveEverything, changed.DiskText);
        Assert.Contains("not in force", changed.Notice, StringComparison.Ordinal);

        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.PolicyNotAsReviewed,
            await editor.ErrorCodeOfAsync(ProtocolMethods.PolicyAdopt, new AdoptPolicyParams { Hash = before.Hash }));
        Assert.Equal(ErrorCodes.InvalidParams, await editor.ErrorCodeOfAsync(ProtocolMethods.PolicyAdopt, new AdoptPolicyParams()));

        var adopted = await editor.CallAsync<GetPolicyResult>(ProtocolMethods.PolicyAdopt, new AdoptPolicyParams { Hash = changed.DiskHash! });
        Assert.Equal((changed.DiskHash, AutoApproveEverything, "file", (string?)null), (adopted.Hash, adopted.Text, adopted.Source, adopted.DiskHash));
        var entry = harness.Runtime.Ledger.Read().Last(e => e.Kind == EntryKind.PolicyChanged);
        Assert.Equal("human:alice", entry.Actor);
        Assert.Equal(changed.DiskHash, harness.Runtime.Policy.Hash.ToString());
    }

    [Fact]
    public async Task AnAgentConnectionCannotAdoptAPolicy()
    {
        using var harness = new SidecarHarness();
        harness.Temp.Write(".thymos/policy.json", AutoApproveEverything);
        var writ = harness.IssueWrit();
        var agent = harness.Connect(isStdio: false);
        await agent.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = writ.Token });

        var code = await agent.ErrorCodeOfAsync(ProtocolMethods.PolicyAdopt, new AdoptPolicyParams { Hash = ContentHash.Of(harness.Temp.Read(".thymos/policy.json")).ToString() });

        Assert.NotEqual(0, code);
        Assert.Single(harness.Runtime.Ledger.Read(), e => e.Kind == EntryKind.PolicyChanged);
        Assert.NotEqual(ContentHash.Of(harness.Temp.Read(".thymos/policy.json")), harness.Runtime.Policy.Hash);
    }
}
