// The policy in force is the one the ledger recorded: a change to .thymos/policy.json (by a shell, or by an
// auto-approved proposal to a file it links to) governs nothing until a human adopts it.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class PolicyGovernanceTests
{
    private const string AutoApproveSmallEdits = """
        { "version": 1, "defaultOutcome": "require-approval",
          "rules": [ { "name": "small-edits", "paths": ["**"], "maxChangedLines": 10, "outcome": "auto-approve" } ] }
        """;

    private const string AutoApproveEverything = """
        { "version": 1, "defaultOutcome": "auto-approve", "rules": [] }
        """;

    private static readonly string TwentyLines = string.Concat(Enumerable.Range(0, 20).Select(i => $"line {i}\n"));

    [Fact]
    public void APolicyFilePresentBeforeTheLedgerIsRecordedAsTheInitialPolicy()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        var entry = Assert.Single(harness.Entries(EntryKind.PolicyChanged));
        var payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload);
        Assert.Equal(("runtime", "file", (string?)null), (entry.Actor, payload.Source, payload.PreviousHash));
        Assert.Equal(harness.Workspace.Read(".thymos/policy.json"), harness.Runtime.Ledger.ReadBlob(ContentHash.Parse(payload.Hash)));
        Assert.Null(harness.Runtime.GetPolicyStatus().Notice);
    }

    [Fact]
    public void APolicyWrittenByAShellDoesNotGovernUntilAHumanAdoptsIt()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        var recorded = harness.Runtime.Policy.Hash.ToString();
        harness.Workspace.Write(".thymos/policy.json", AutoApproveEverything);

        var big = harness.Submit(RuntimeHarness.Create("big.txt", TwentyLines));
        Assert.Equal(SubmitOutcome.Staged, big.Outcome);
        harness.Restart();
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(RuntimeHarness.Create("big2.txt", TwentyLines)).Outcome);

        var status = harness.Runtime.GetPolicyStatus();
        Assert.Equal(recorded, status.Hash);
        Assert.Contains("small-edits", System.Text.Encoding.UTF8.GetString(status.Text), StringComparison.Ordinal);
        Assert.Equal(ContentHash.Of(harness.Workspace.Read(".thymos/policy.json")).ToString(), status.DiskHash);
        Assert.Contains("changed on disk", status.Notice, StringComparison.Ordinal);
        Assert.Contains("not in force", status.Notice, StringComparison.Ordinal);
        Assert.Single(harness.Entries(EntryKind.PolicyChanged));

        harness.AdoptPolicyOnDisk("human:ada");
        var adopted = harness.Entries(EntryKind.PolicyChanged).Last();
        Assert.Equal("human:ada", adopted.Actor);
        Assert.Equal(SubmitOutcome.AutoApproved, harness.Submit(RuntimeHarness.Create("big3.txt", TwentyLines)).Outcome);
        Assert.Null(harness.Runtime.GetPolicyStatus().DiskHash);
    }

    [Fact]
    public void AnAutoApprovedEditToTheFileALinkedPolicyPointsAtDoesNotTakeEffect()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        var inForce = harness.Runtime.Policy.Hash;
        // A shared policy linked in, with the same text as the policy in force.
        harness.Workspace.Write("shared/policy.json", AutoApproveSmallEdits);
        File.Delete(harness.Workspace.PathOf(".thymos/policy.json"));
        File.CreateSymbolicLink(harness.Workspace.PathOf(".thymos/policy.json"), Path.Combine("..", "shared", "policy.json"));
        var before = harness.Entries(EntryKind.PolicyChanged).Count;

        // The agent's small edit to the linked file is auto-approved by the policy in force and written...
        var edit = harness.Submit(harness.Modify("shared/policy.json", AutoApproveEverything));
        Assert.Equal(SubmitOutcome.AutoApproved, edit.Outcome);

        // ...but it governs nothing: a big change still needs a human, and policy/get shows what governs.
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(RuntimeHarness.Create("big.txt", TwentyLines)).Outcome);
        Assert.Equal(inForce, harness.Runtime.Policy.Hash);
        Assert.Equal(inForce.ToString(), harness.Runtime.GetPolicyStatus().Hash);
        Assert.Equal(before, harness.Entries(EntryKind.PolicyChanged).Count);
    }

    [Fact]
    public void AnAdoptionNamingTextOtherThanTheFileOnDiskIsRefusedAndChangesNothing()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        harness.Workspace.Write(".thymos/policy.json", AutoApproveEverything);
        var reviewed = harness.Runtime.GetPolicyStatus().DiskHash!;
        harness.Workspace.Write(".thymos/policy.json", AutoApproveEverything + " ");

        var (_, error) = harness.Runtime.AdoptPolicy(reviewed, "human:ada");

        Assert.Equal(RuntimeErrorCode.PolicyNotAsReviewed, error!.Code);
        Assert.Contains("not the text you reviewed", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Entries(EntryKind.PolicyChanged));
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(RuntimeHarness.Create("big.txt", TwentyLines)).Outcome);
    }
}
