// The workspace policy: protected paths, auto-approval ledgered with the rule as actor, hashes on decisions.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class PolicyEnforcementTests
{
    private const string AutoApproveSmallSourceEdits = """
        { "version": 1, "defaultOutcome": "require-approval",
          "rules": [ { "name": "small-edits", "paths": ["**"], "maxChangedLines": 10, "outcome": "auto-approve" } ] }
        """;

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".thymos/policy.json")]
    [InlineData(".thymos/ledger.db")]
    public void ProtectedPathsAreDeniedEvenByAPermissivePolicy(string path)
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallSourceEdits);
        var result = harness.Submit(RuntimeHarness.Create(path, "x\n"));
        Assert.Equal(RuntimeErrorCode.PolicyDenied, result.Error!.Code);
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection).Single(), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal("policy-denied", rejection.ReasonCode);
    }

    [Theory]
    [InlineData(".env")]
    [InlineData("config/.env.local")]
    [InlineData("certs/server.pem")]
    [InlineData("keys/id_rsa")]
    public void SecretsRequireApprovalEvenWhenARuleWouldAutoApprove(string path)
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallSourceEdits);
        var result = harness.Submit(RuntimeHarness.Create(path, "SECRET=1\n"));
        Assert.Equal(SubmitOutcome.Staged, result.Outcome);
        Assert.False(File.Exists(harness.Workspace.PathOf(path)));
    }

    [Fact]
    public void AnAutoApprovalIsAppliedAndLedgeredWithTheRuleAsActor()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallSourceEdits);
        var result = harness.Submit(RuntimeHarness.Create("src/a.ts", "export const a = 1;\n"));

        Assert.Equal(SubmitOutcome.AutoApproved, result.Outcome);
        Assert.Equal("export const a = 1;\n", harness.Workspace.ReadText("src/a.ts"));
        var approval = harness.Entries(EntryKind.Approval).Single();
        Assert.Equal("policy:small-edits", approval.Actor);
        var commit = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Commit).Single(), LedgerJsonContext.Default.CommitPayload);
        Assert.Equal("policy:small-edits", commit.Approver);
        Assert.Equal(harness.Runtime.Policy.Hash.ToString(), commit.PolicyHash);
    }

    [Fact]
    public void AChangeAboveTheRulesLimitFallsThroughToRequireApproval()
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallSourceEdits);
        var result = harness.Submit(RuntimeHarness.Create("src/big.ts", string.Concat(Enumerable.Range(0, 20).Select(i => $"line {i}\n"))));
        Assert.Equal(SubmitOutcome.Staged, result.Outcome);
        var staged = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.ProposalStaged).Single(), LedgerJsonContext.Default.ProposalStagedPayload);
        Assert.Equal("require-approval", staged.Policy.Outcome);
        Assert.Equal("default", staged.Policy.Trace.Single().DecidedBy);
        Assert.NotEmpty(staged.Policy.Trace.Single().Notes);
    }

    [Fact]
    public void APolicyChangeIsLedgeredWithItsTextAndItsHashIsUsedFromThenOn()
    {
        using var harness = new RuntimeHarness();
        var first = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.PolicyChanged).Single(), LedgerJsonContext.Default.PolicyChangedPayload);
        Assert.Equal("default", first.Source);

        harness.Workspace.Write(".thymos/policy.json", AutoApproveSmallSourceEdits);
        harness.AdoptPolicyOnDisk();
        harness.Submit(RuntimeHarness.Create("a.txt", "a\n"));

        var second = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.PolicyChanged).Last(), LedgerJsonContext.Default.PolicyChangedPayload);
        Assert.Equal(("file", first.Hash), (second.Source, second.PreviousHash));
        Assert.Equal(harness.Workspace.Read(".thymos/policy.json"), harness.Runtime.Ledger.ReadBlob(Hashing.ContentHash.Parse(second.Hash)));
        Assert.Equal("a\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AnInvalidPolicyFileCannotBeAdoptedAndIsReportedWithItsError()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write(".thymos/policy.json", "{ \"version\": 1, \"rules\": [ { \"name\": 3 } ] }");
        var status = harness.Runtime.GetPolicyStatus();
        Assert.Contains("policy.json", status.DiskError);
        var (_, error) = harness.Runtime.AdoptPolicy(Hashing.ContentHash.Of(harness.Workspace.Read(".thymos/policy.json")).ToString(), "human:tester");
        Assert.Equal(RuntimeErrorCode.PolicyInvalid, error!.Code);
        Assert.Contains("policy.json", error.Message);
        Assert.Single(harness.Entries(EntryKind.PolicyChanged));
    }
}
