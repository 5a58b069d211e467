// Submissions compile before the runtime's lock: budgets stay exact and what changed meanwhile is caught under it.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ConcurrentSubmissionTests
{
    private const int Submitters = 24;

    [Fact]
    public void ManyConcurrentSubmissionsAgainstASmallProposalBudgetStageExactlyTheBudget()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["**"], budget: new WritBudget(MaxProposals: 5, MaxFiles: null, MaxBytes: null));

        var results = SubmitAllAtOnce(harness, index => [RuntimeHarness.Create($"p{index}.txt", "x\n")], session);

        AssertExactlyStaged(harness, session, results, 5);
        Assert.All(results.Where(r => r.Outcome == SubmitOutcome.Refused), r => Assert.Contains("proposal", r.Error!.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ManyConcurrentSubmissionsAgainstASmallByteBudgetNeverOverspendIt()
    {
        using var harness = new RuntimeHarness();
        // Each create adds 10 bytes; 45 bytes allow four of them, whichever four get the lock first.
        var session = harness.Grant(["**"], budget: new WritBudget(MaxProposals: null, MaxFiles: null, MaxBytes: 45));

        var results = SubmitAllAtOnce(harness, index => [RuntimeHarness.Create($"b{index}.txt", "123456789\n")], session);

        AssertExactlyStaged(harness, session, results, 4);
    }

    [Fact]
    public void AFileAnApprovalChangesBetweenCompileAndStageIsRefusedAsStale()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\ntwo\n");
        var first = harness.Stage(harness.Modify("a.txt", "one\nTWO\n"));
        var late = harness.Edit("a.txt", "one\n", "ONE\n");
        harness.Probe.BeforeSubmissionLock = () =>
        {
            harness.Probe.BeforeSubmissionLock = null;
            Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(first).Outcome);
        };

        var result = harness.Submit(late);

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Equal(RuntimeErrorCode.StaleBase, result.Error!.Code);
        Assert.Contains("'a.txt' changed since you read it", result.Error.Message);
        Assert.Equal("one\nTWO\n", harness.Workspace.ReadText("a.txt"));
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection).Last(), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal(RejectionReason.StaleBase, rejection.ReasonCode);
        Assert.Single(harness.Entries(EntryKind.ProposalStaged));
    }

    [Fact]
    public void AnApprovalOfAnotherFileBetweenCompileAndStageLeavesTheSubmissionValid()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        harness.Workspace.Write("b.txt", "b\n");
        var other = harness.Stage(harness.Modify("b.txt", "B\n"));
        harness.Probe.BeforeSubmissionLock = () =>
        {
            harness.Probe.BeforeSubmissionLock = null;
            Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(other).Outcome);
        };

        var result = harness.Submit(harness.Modify("a.txt", "A\n"));

        Assert.Equal(SubmitOutcome.Staged, result.Outcome);
        var proposal = harness.Runtime.GetProposal(result.ProposalId!)!;
        Assert.Equal(RuntimeHarness.Hash("a\n"u8.ToArray()), proposal.Staged.Files.Single().BaseHash);
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(result.ProposalId!).Outcome);
        Assert.Equal("A\n", harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void APolicyRecordedBetweenCompileAndStageIsTheOneTheSubmissionIsJudgedBy()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("src/a.txt", "a\n");
        harness.Probe.BeforeSubmissionLock = () =>
        {
            harness.Probe.BeforeSubmissionLock = null;
            harness.Workspace.Write(".thymos/policy.json", """
                { "version": 1, "defaultOutcome": "require-approval",
                  "rules": [ { "name": "no-src", "paths": ["src/**"], "outcome": "deny" } ] }
                """);
            // A human adopts the new policy (recorded) before this submission takes the lock; another submission goes on meanwhile.
            harness.AdoptPolicyOnDisk();
            Assert.Equal(SubmitOutcome.Staged, harness.Submit(RuntimeHarness.Create("other.txt", "x\n")).Outcome);
        };

        var result = harness.Submit(harness.Modify("src/a.txt", "A\n"));

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Equal(RuntimeErrorCode.PolicyDenied, result.Error!.Code);
        Assert.Contains("rule no-src", result.Error.Message);
        Assert.Equal(2, harness.Entries(EntryKind.PolicyChanged).Count);
    }

    [Fact]
    public void AWritRevokedBetweenCompileAndStageRefusesTheSubmission()
    {
        using var harness = new RuntimeHarness();
        var session = harness.Grant(["**"]);
        harness.Probe.BeforeSubmissionLock = () =>
        {
            harness.Probe.BeforeSubmissionLock = null;
            Assert.Null(harness.Runtime.RevokeWrit(session.WritId, "human:tester", "changed my mind"));
        };

        var result = harness.Submit(session, RuntimeHarness.Create("a.txt", "a\n"));

        Assert.Equal(RuntimeErrorCode.WritRevoked, result.Error!.Code);
        Assert.Empty(harness.Entries(EntryKind.ProposalStaged));
    }

    /// <summary>
    /// Submits one intent per thread and holds every submission after it compiled until all have, so all of
    /// them compiled against the same usage before any was staged: only the checks under the lock can keep the budget.
    /// </summary>
    private static SubmitResult[] SubmitAllAtOnce(RuntimeHarness harness, Func<int, FileIntent[]> files, AgentSession session)
    {
        var results = new SubmitResult[Submitters];
        using var compiled = new Barrier(Submitters);
        harness.Probe.BeforeSubmissionLock = () => Assert.True(compiled.SignalAndWait(TimeSpan.FromMinutes(2)), "every submitter should reach the lock");
        var threads = Enumerable.Range(0, Submitters).Select(index => new Thread(() => results[index] = harness.Submit(session, files(index)))).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        harness.Probe.BeforeSubmissionLock = null;
        return results;
    }

    private static void AssertExactlyStaged(RuntimeHarness harness, AgentSession session, SubmitResult[] results, int budget)
    {
        Assert.All(results, r => Assert.NotNull(r));
        Assert.Equal(budget, results.Count(r => r.Outcome == SubmitOutcome.Staged));
        Assert.All(results.Where(r => r.Outcome != SubmitOutcome.Staged), r => Assert.Equal(RuntimeErrorCode.WritRefused, r.Error!.Code));
        Assert.Equal(budget, harness.Entries(EntryKind.ProposalStaged).Count);
        // Every refusal is ledgered, by count: repeats of one refusal of the session in a window share an aggregate entry.
        harness.Runtime.FlushRefusals();
        Assert.Equal(Submitters - budget, harness.Entries(EntryKind.Rejection).Sum(e => WorkspaceLedger.Deserialize(e, LedgerJsonContext.Default.RejectionPayload).Attempts));
        Assert.Equal(budget, harness.Runtime.State.Writs[session.WritId].ProposalsStaged);

        // The ledger, folded again from disk, agrees.
        harness.Restart();
        Assert.Equal(budget, harness.Runtime.State.Writs[session.WritId].ProposalsStaged);
    }
}
