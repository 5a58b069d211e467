// No effect beyond the writ: paths, effects, budgets, time window and revocation.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Tests.Support;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class WritEnforcementTests
{
    [Fact]
    public void APathOutsideTheWritsScopeIsRefused()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["src/**"]);
        var result = harness.Submit(session, RuntimeHarness.Create("docs/readme.md", "x\n"));
        Assert.Equal(RuntimeErrorCode.WritRefused, result.Error!.Code);
        Assert.Contains("docs/readme.md", result.Error.Message);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(session, RuntimeHarness.Create("src/ok.ts", "x\n")).Outcome);
    }

    [Fact]
    public void AnExcludedPathIsRefusedEvenInsideTheScope()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["src/**"], exclude: ["src/generated/**"]);
        Assert.Equal(RuntimeErrorCode.WritRefused, harness.Submit(session, RuntimeHarness.Create("src/generated/x.ts", "x\n")).Error!.Code);
    }

    [Fact]
    public void AnEffectAboveTheCeilingIsRefused()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        var session = harness.Grant(["**"], effects: Effects.Create | Effects.Modify);
        var result = harness.Submit(session, new FileIntent(FileIntentKind.Delete, "a.txt", BaseHash: harness.HashOf("a.txt")));
        Assert.Equal(RuntimeErrorCode.WritRefused, result.Error!.Code);
        Assert.True(File.Exists(harness.Workspace.PathOf("a.txt")));
    }

    [Fact]
    public void TheProposalBudgetIsEnforced()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["**"], budget: new WritBudget(MaxProposals: 2, MaxFiles: null, MaxBytes: null));
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(session, RuntimeHarness.Create("1.txt", "1")).Outcome);
        Assert.Equal(SubmitOutcome.Staged, harness.Submit(session, RuntimeHarness.Create("2.txt", "2")).Outcome);
        Assert.Equal(RuntimeErrorCode.WritRefused, harness.Submit(session, RuntimeHarness.Create("3.txt", "3")).Error!.Code);
    }

    [Fact]
    public void TheByteBudgetIsEnforced()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["**"], budget: new WritBudget(MaxProposals: null, MaxFiles: null, MaxBytes: 10));
        Assert.Equal(RuntimeErrorCode.WritRefused, harness.Submit(session, RuntimeHarness.Create("big.txt", new string('x', 11))).Error!.Code);
    }

    [Fact]
    public void AnExpiredWritIsRefusedAtSubmissionAndAtApproval()
    {
        var clock = new SettableClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new RuntimeHarness(clock);
        harness.Workspace.Write("a.txt", "a\n");
        var session = harness.Grant(["**"], lifetime: TimeSpan.FromMinutes(10));
        var proposalId = harness.Submit(session, harness.Modify("a.txt", "b\n")).ProposalId!;

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(RuntimeErrorCode.WritRefused, harness.Submit(session, RuntimeHarness.Create("b.txt", "b")).Error!.Code);
        Assert.Equal(RuntimeErrorCode.WritRefused, harness.ApproveAll(proposalId).Error!.Code);
        Assert.Equal("a\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal(ProposalStatus.Rejected, harness.Runtime.GetProposal(proposalId)!.Status);
    }

    [Fact]
    public void RevokingAWritRejectsItsPendingProposalsAndRefusesNewOnes()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        var session = harness.Grant(["**"]);
        var proposalId = harness.Submit(session, harness.Modify("a.txt", "b\n")).ProposalId!;

        Assert.Null(harness.Runtime.RevokeWrit(session.WritId, "human:tester", "done for today"));

        Assert.Equal(ProposalStatus.Rejected, harness.Runtime.GetProposal(proposalId)!.Status);
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection).Last(), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal("writ-revoked", rejection.ReasonCode);
        Assert.Equal(RuntimeErrorCode.WritRevoked, harness.Submit(session, RuntimeHarness.Create("c.txt", "c")).Error!.Code);
        Assert.NotNull(harness.Runtime.OpenSession(harness.Runtime.State.Writs[session.WritId].Token).Error);
        Assert.Equal("a\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void ATamperedWritTokenDoesNotOpenASession()
    {
        using var harness = new RuntimeHarness();
        var token = harness.Runtime.State.Writs[harness.Session.WritId].Token;
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        Assert.Equal(RuntimeErrorCode.WritUnknown, harness.Runtime.OpenSession(tampered).Error!.Code);
    }

    [Fact]
    public void AChildWritMustBeNarrowerThanItsParent()
    {
        using var harness = new RuntimeHarness();
        var parent = harness.Grant(["src/**"], effects: Effects.Modify);
        var wider = harness.Runtime.IssueWrit(new WritRequest("sub-agent", "s", ["**"], null, Effects.Modify, null, TimeSpan.FromMinutes(5), parent.WritId), "human:tester");
        var narrower = harness.Runtime.IssueWrit(new WritRequest("sub-agent", "s", ["src/lib/**"], null, Effects.Modify, null, TimeSpan.FromMinutes(5), parent.WritId), "human:tester");

        Assert.Equal(RuntimeErrorCode.WritRefused, wider.Error!.Code);
        Assert.Null(narrower.Error);
    }

    [Fact]
    public void WritIssuanceAndRevocationAreLedgeredWithAVerifiableSignature()
    {
        using var harness = new RuntimeHarness();
        harness.Runtime.RevokeWrit(harness.Session.WritId, "human:tester", "test");
        var issued = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.WritIssued).Single(), LedgerJsonContext.Default.WritIssuedPayload);
        Assert.True(WorkspaceKey.Verify(harness.Runtime.Ledger.Genesis.WorkspaceKey, CanonicalJson.Write(issued.Writ), Convert.FromHexString(issued.Signature)));
        Assert.Single(harness.Entries(EntryKind.WritRevoked));
    }

    [Fact]
    public void AWritWithNonAsciiAndQuotedNamesStillVerifiesInTheLedger()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["src/**"], agent: "agent-ü \"quoted\" ☃");
        harness.Runtime.Dispose();

        var result = OpenThymos.Core.Replay.LedgerVerifier.VerifyFile(harness.Workspace.LedgerPath, harness.Workspace.KeyDirectory);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        harness.Restart();
        Assert.Equal("agent-ü \"quoted\" ☃", harness.Runtime.State.Writs[session.WritId].Writ.Agent);
    }
}
