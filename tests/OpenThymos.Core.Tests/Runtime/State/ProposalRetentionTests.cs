// The runtime keeps only live and recently decided proposals in memory, and still answers for every proposal exactly as a full fold does.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime.State;

public sealed class ProposalRetentionTests
{
    private const int Decided = RuntimeState.RetainedDecidedProposals + 40;

    private static void AssertSameProposal(ProposalState expected, ProposalState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Revision, actual.Revision);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.FirstSeq, actual.FirstSeq);
        Assert.Equal(expected.StagedSeq, actual.StagedSeq);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.LastReason, actual.LastReason);
        Assert.Equal(expected.Files.Keys.Order(), actual.Files.Keys.Order());
        foreach (var (path, file) in expected.Files)
        {
            Assert.Equal(file.CurrentHash, actual.Files[path].CurrentHash);
            Assert.Equal(file.Hunks.OrderBy(h => h.Key), actual.Files[path].Hunks.OrderBy(h => h.Key));
        }
    }

    [Fact]
    public void DecidedProposalsLeaveMemoryButEveryLookupAnswersAsTheFullFoldDoes()
    {
        using var harness = new RuntimeHarness();
        var ids = new List<string>();
        for (var i = 0; i < Decided; i++)
        {
            var id = harness.Stage(RuntimeHarness.Create($"src/f{i}.txt", $"file {i}\n"));
            var decision = i % 3 == 0 ? harness.Reject(id, $"src/f{i}.txt#h1") : harness.ApproveAll(id);
            Assert.Null(decision.Error);
            ids.Add(id);
        }

        var pending = harness.Stage(RuntimeHarness.Create("src/pending.txt", "still pending\n"));
        ids.Add(pending);

        for (var round = 0; round < 2; round++)
        {
            var full = new RuntimeState();
            foreach (var entry in harness.Runtime.Ledger.Read())
            {
                full.Apply(entry);
            }

            Assert.Equal(Decided + 1, full.Proposals.Count);
            Assert.Equal(RuntimeState.RetainedDecidedProposals + 1, harness.Runtime.State.Proposals.Count);
            Assert.Contains(harness.Runtime.ListProposals(), p => p.Id == pending);
            foreach (var id in ids)
            {
                AssertSameProposal(full.Proposals[id], harness.Runtime.GetProposal(id));
            }

            Assert.Equal(full.Commits.Keys.Order(), harness.Runtime.State.Commits.Keys.Order());
            var firstCommit = full.Commits.Keys.Min();
            Assert.Equal(full.Commits[firstCommit].Hash, harness.Runtime.State.Commits[firstCommit].Hash);

            // The first nonce was used by a proposal decided long ago: sending it again with another change is refused.
            var replay = harness.Runtime.Submit(harness.Session, new Intent("n1", "another change", [RuntimeHarness.Create("src/other.txt", "other\n")]));
            Assert.Equal(SubmitOutcome.Refused, replay.Outcome);
            Assert.Equal(RuntimeErrorCode.ReplayedNonce, replay.Error!.Code);
            Assert.Equal(full.NonceUse(harness.Session.WritId, "n1"), harness.Runtime.State.NonceUse(harness.Session.WritId, "n1"));

            harness.Restart();
        }
    }

    [Fact]
    public void ADecidedProposalThatAnEntryNamesAgainComesBackIntoMemory()
    {
        using var harness = new RuntimeHarness();
        var first = harness.Stage(RuntimeHarness.Create("src/first.txt", "first\n"));
        Assert.Null(harness.ApproveAll(first).Error);
        for (var i = 0; i < RuntimeState.RetainedDecidedProposals + 5; i++)
        {
            Assert.Null(harness.ApproveAll(harness.Stage(RuntimeHarness.Create($"src/f{i}.txt", $"file {i}\n"))).Error);
        }

        Assert.DoesNotContain(harness.Runtime.State.Proposals.Keys, id => id == first);

        // A rejection entry naming the decided proposal (written directly, as a future kind of decision might).
        var proposal = harness.Runtime.GetProposal(first)!;
        var named = harness.Runtime.Ledger.Append(EntryKind.Rejection, "human:tester",
            new OpenThymos.Core.Ledger.Payloads.RejectionPayload(first, proposal.Revision, [], "reviewer", "looked again", "test-agent", proposal.Staged.WritId, [], proposal.Staged.Policy.Hash),
            LedgerJsonContext.Default.RejectionPayload);
        // The runtime folds only the entries it stages itself (under its lock); an entry written straight to the
        // ledger is folded here the way the runtime folds its own.
        harness.Runtime.State.Apply(named);

        var full = new RuntimeState();
        foreach (var entry in harness.Runtime.Ledger.Read())
        {
            full.Apply(entry);
        }

        AssertSameProposal(full.Proposals[first], harness.Runtime.GetProposal(first));
        Assert.Equal("looked again", harness.Runtime.GetProposal(first)!.LastReason);
    }
}
