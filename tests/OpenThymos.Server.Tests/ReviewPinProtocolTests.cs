// Over JSON-RPC, an approval names the revision and hunk digests the reviewer saw; a proposal revised since is not approved.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class ReviewPinProtocolTests
{
    [Fact]
    public async Task AnApprovalWithTheDigestsShownBeforeTheAgentRevisedTheProposalIsRefusedAndNothingIsWritten()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        var shown = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        var seen = Digests(shown);
        Assert.All(seen.Values, d => Assert.Matches("^[0-9a-f]{64}$", d));

        // The agent's shell inserts a line between the two hunks; the sidecar's watcher rebases the proposal into revision 2,
        // whose second hunk sits one line lower. The editor learns the new revision number from proposal/didChange.
        var revised = harness.Temp.ReadText("a.txt").Replace("line 10\n", "line 10\ninserted by the agent's shell\n", StringComparison.Ordinal);
        File.WriteAllText(harness.Temp.PathOf("a.txt"), revised);
        // The sidecar's own file watcher may get there first (it plans the rebase outside the runtime's lock), so wait
        // for revision 2 by whichever path records it.
        harness.Runtime.ObserveChangedFiles(["a.txt"]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (harness.Runtime.GetProposal(id)!.Revision != 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            harness.Runtime.ObserveChangedFiles(["a.txt"]);
        }

        Assert.Equal(2, harness.Runtime.GetProposal(id)!.Revision);
        var entries = harness.Runtime.Ledger.Head.Seq;

        var refused = await client.ErrorOfAsync(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 2, HunkDigests = seen });
        var olderRevision = await client.ErrorOfAsync(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = shown.Proposal.Revision, HunkDigests = seen });

        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.ReviewOutdated, refused.Code);
        Assert.Contains("a.txt#h2", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.RevisionMismatch, olderRevision.Code);
        Assert.Equal(revised, harness.Temp.ReadText("a.txt"));
        Assert.Equal(entries, harness.Runtime.Ledger.Head.Seq);

        var current = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove,
            new ApproveProposalParams { ProposalId = id, Revision = current.Proposal.Revision, HunkDigests = Digests(current) });
        Assert.Equal("committed", approved.Outcome);
        Assert.StartsWith("LINE ONE\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Digests(GetProposalResult shown) =>
        shown.Files.SelectMany(f => f.Hunks.Select(h => (Key: f.Path + "#" + h.Id, h.Digest))).ToDictionary(p => p.Key, p => p.Digest, StringComparer.Ordinal);
}
