// proposal/amend over a real JSON-RPC connection, and the sidecar noticing a file changed under a pending proposal.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class ProposalAmendAndStaleTests
{
    [Fact]
    public async Task AnAmendmentIsRecordedAsTheReviewersRevisionAndApprovingItWritesTheAmendedBytes()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        var detail = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        var amendedText = detail.Files[0].ProposedText!.Replace("LINE ONE\n", "line one, as the reviewer wrote it\n", StringComparison.Ordinal);

        var amended = await client.CallAsync<AmendProposalResult>(ProtocolMethods.ProposalAmend,
            new AmendProposalParams { ProposalId = id, Revision = detail.Proposal.Revision, Path = "a.txt", Text = amendedText });

        Assert.Equal((id, 2, true), (amended.ProposalId, amended.Revision, amended.Recorded));
        Assert.Equal(2, amended.Hunks.Count);
        Assert.Contains(amended.Hunks, h => h.Added.Contains("line one, as the reviewer wrote it\n"));
        await client.WaitForAsync(() => client.ProposalChanges.Any(p => p.ProposalId == id && p.Revision == 2));
        var staged = harness.Runtime.Ledger.Read().Last(e => e.Kind == EntryKind.ProposalStaged);
        Assert.Equal("human:alice", staged.Actor);
        Assert.StartsWith("line 1\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);

        var again = await client.CallAsync<AmendProposalResult>(ProtocolMethods.ProposalAmend,
            new AmendProposalParams { ProposalId = id, Revision = 2, Path = "a.txt", Text = amendedText });
        Assert.Equal((2, false), (again.Revision, again.Recorded));

        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 2 });
        Assert.Equal("committed", approved.Outcome);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(amendedText), harness.Temp.Read("a.txt"));
        Assert.True(LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Temp.KeyDirectory).IsValid);
    }

    [Fact]
    public async Task AmendingADecidedOrOlderRevisionIsRefusedWithStableCodes()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        await client.CallAsync<AmendProposalResult>(ProtocolMethods.ProposalAmend,
            new AmendProposalParams { ProposalId = id, Revision = 1, Path = "a.txt", Text = "amended\n" });

        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.RevisionMismatch,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalAmend, new AmendProposalParams { ProposalId = id, Revision = 1, Path = "a.txt", Text = "older\n" }));
        await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalReject, new RejectProposalParams { ProposalId = id, Revision = 2 });
        var head = harness.Runtime.Ledger.Head.Seq;
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.ProposalNotPending,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalAmend, new AmendProposalParams { ProposalId = id, Revision = 2, Path = "a.txt", Text = "late\n" }));
        Assert.Equal(ErrorCodes.InvalidParams,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalAmend, new AmendProposalParams { ProposalId = id, Revision = 2, Path = "", Text = "x\n" }));
        Assert.Equal(head, harness.Runtime.Ledger.Head.Seq);
        Assert.StartsWith("line 1\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSidecarMarksAProposalStaleWhenItsLinesAreEditedOnDiskAndAnApprovalWritesNothing()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        var humanEdit = harness.Temp.ReadText("a.txt").Replace("line 1\n", "line 1, edited by hand\n", StringComparison.Ordinal);

        harness.Temp.Write("a.txt", humanEdit);

        await client.WaitForAsync(() => client.ProposalChanges.Any(p => p.ProposalId == id && p.Status == "stale"));
        var detail = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        Assert.Equal("stale", detail.Proposal.Status);
        Assert.Contains("a.txt", detail.Proposal.Reason);
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.ProposalNotPending,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = detail.Proposal.Revision }));
        Assert.Equal(humanEdit, harness.Temp.ReadText("a.txt"));
        Assert.DoesNotContain(harness.Runtime.Ledger.Read(), e => e.Kind == EntryKind.Commit);
    }

    [Fact]
    public async Task TheSidecarRebasesAProposalWhenItsFileIsEditedInOtherLines()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        var humanEdit = harness.Temp.ReadText("a.txt").Replace("line 10\n", "line 10, edited by hand\n", StringComparison.Ordinal);

        harness.Temp.Write("a.txt", humanEdit);

        await client.WaitForAsync(() => client.ProposalChanges.Any(p => p.ProposalId == id && p.Revision == 2 && p.Status == "pending"));
        Assert.Equal(humanEdit, harness.Temp.ReadText("a.txt"));
        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 2 });
        Assert.Equal("committed", approved.Outcome);
        Assert.Equal(humanEdit.Replace("line 1\n", "LINE ONE\n", StringComparison.Ordinal).Replace("line 20\n", "LINE TWENTY\n", StringComparison.Ordinal), harness.Temp.ReadText("a.txt"));
    }
}
