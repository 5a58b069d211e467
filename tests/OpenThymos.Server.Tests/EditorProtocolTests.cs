// The editor surface over a real JSON-RPC connection: lifecycle, proposals, ledger, writs, policy and error codes.
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class EditorProtocolTests
{
    [Fact]
    public async Task InitializeReportsTheWorkspaceAndShutdownClosesTheLedger()
    {
        using var harness = new SidecarHarness();
        var client = harness.Connect();
        var result = await client.CallAsync<InitializeResult>(ProtocolMethods.Initialize, new InitializeParams());
        Assert.Equal(harness.Runtime.Ledger.WorkspaceId, result.Workspace.WorkspaceId);
        Assert.Equal(harness.Runtime.Ledger.Head.Seq, result.Workspace.HeadSeq);
        Assert.Equal(1, result.Capabilities.OpenThymosProtocol);

        await client.CallAsync<object>(ProtocolMethods.Shutdown);
        Assert.True(harness.Sidecar.IsShutDown);
        Assert.Equal(ErrorCodes.ShuttingDown, await client.ErrorCodeOfAsync(ProtocolMethods.ProposalList, new ListProposalsParams()));
        await client.Rpc.NotifyAsync(ProtocolMethods.Exit);
        Assert.Equal(0, await harness.Sidecar.ExitRequested.WaitAsync(SidecarHarness.Timeout));
    }

    [Fact]
    public async Task RequestsBeforeInitializeAreRefusedWithNotInitialized()
    {
        using var harness = new SidecarHarness();
        var client = harness.Connect();
        Assert.Equal(ErrorCodes.NotInitialized, await client.ErrorCodeOfAsync(ProtocolMethods.ProposalList, new ListProposalsParams()));
        Assert.Equal(ErrorCodes.NotInitialized, await client.ErrorCodeOfAsync(ProtocolMethods.WritList));
    }

    [Fact]
    public async Task AReviewerListsGetsApprovesOneHunkAndRejectsTheOther()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();

        var list = await client.CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, new ListProposalsParams { Statuses = ["pending"] });
        Assert.Equal(id, Assert.Single(list.Proposals).ProposalId);

        var detail = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        var file = Assert.Single(detail.Files);
        Assert.StartsWith("line 1\n", file.BaseText, StringComparison.Ordinal);
        Assert.StartsWith("LINE ONE\n", file.ProposedText, StringComparison.Ordinal);
        Assert.Equal(2, file.Hunks.Count);
        Assert.All(file.Hunks, h => Assert.Equal("pending", h.Status));

        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove,
            new ApproveProposalParams { ProposalId = id, Revision = detail.Proposal.Revision, Hunks = ["a.txt#" + file.Hunks[0].Id] });
        Assert.Equal("committed", approved.Outcome);
        Assert.StartsWith("LINE ONE\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);

        var after = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        var rejected = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalReject,
            new RejectProposalParams { ProposalId = id, Revision = after.Proposal.Revision, Reason = "keep 20" });
        Assert.Equal("rejected", rejected.Outcome);
        Assert.EndsWith("line 20\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);
        var final = await client.CallAsync<GetProposalResult>(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = id });
        Assert.Equal("partiallyApproved", final.Proposal.Status);

        // Decisions are recorded as the reviewer named in initializationOptions.
        var entry = await client.CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = approved.CommitSeq!.Value - 1 });
        Assert.Equal("human:alice", entry.Entry.Actor);
    }

    [Fact]
    public async Task TheEditorIsNotifiedOfProposalChangesAndAppendedEntries()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        await client.WaitForAsync(() => client.ProposalChanges.Any(p => p.ProposalId == id && p.Status == "pending"));
        await client.WaitForAsync(() => client.Appends.Any(e => e.Kind == "proposal.staged" && e.ProposalId == id && e.Paths.Contains("a.txt")));
    }

    [Fact]
    public async Task TheTimelinePagesNewestFirstAndFilters()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        for (var i = 0; i < 5; i++)
        {
            harness.IssueWrit("agent" + i);
        }
        harness.StageProposal();
        var head = harness.Runtime.Ledger.Head.Seq;

        var first = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 3 });
        Assert.Equal([head, head - 1, head - 2], first.Entries.Select(e => e.Seq));
        Assert.Equal(head - 2, first.NextBeforeSeq);
        var second = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 3, BeforeSeq = first.NextBeforeSeq });
        Assert.Equal([head - 3, head - 4, head - 5], second.Entries.Select(e => e.Seq));

        var writs = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Kinds = ["writ.issued"] });
        Assert.Equal(6, writs.Entries.Count);
        Assert.Null(writs.NextBeforeSeq);
        var byAgent = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Agent = "agent3" });
        Assert.Contains("agent3", Assert.Single(byAgent.Entries).Summary, StringComparison.Ordinal);
        var byPath = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Path = "a.txt" });
        Assert.Equal("proposal.staged", Assert.Single(byPath.Entries).Kind);
    }

    [Fact]
    public async Task AFileIsRebuiltAtASeqAndACommitCanBeReverted()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 1 });
        var commitSeq = approved.CommitSeq!.Value;

        var atCommit = await client.CallAsync<GetFileAtSeqResult>(ProtocolMethods.LedgerGetFileAtSeq, new GetFileAtSeqParams { Path = "a.txt", Seq = commitSeq });
        Assert.True(atCommit.Exists);
        Assert.StartsWith("LINE ONE\n", atCommit.Text, StringComparison.Ordinal);

        var reverted = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.LedgerRevertCommit, new RevertCommitParams { Seq = commitSeq, Reason = "oops" });
        Assert.Equal("committed", reverted.Outcome);
        Assert.StartsWith("line 1\n", harness.Temp.ReadText("a.txt"), StringComparison.Ordinal);
        // The revert's approval is a whole-file one: the timeline says how many files, not "0 hunk(s)".
        var newestApproval = await client.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Kinds = ["proposal.approved"], Limit = 1 });
        Assert.Contains("approved 1 file(s) of", Assert.Single(newestApproval.Entries).Summary, StringComparison.Ordinal);

        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.CommitNotFound,
            await client.ErrorCodeOfAsync(ProtocolMethods.LedgerRevertCommit, new RevertCommitParams { Seq = 1 }));
    }

    [Fact]
    public async Task ACommitsBeforeAndAfterBlobsAreServedByHashEvenAfterTheFileIsDeleted()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var original = harness.Temp.ReadText("a.txt");
        var id = harness.StageProposal();
        var approved = await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 1 });
        var committed = harness.Temp.ReadText("a.txt");
        File.Delete(harness.Temp.PathOf("a.txt"));

        var commit = await client.CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = approved.CommitSeq!.Value });
        var file = commit.Payload.GetProperty("files")[0];
        Assert.Equal("a.txt", file.GetProperty("path").GetString());
        var before = await client.CallAsync<GetBlobResult>(ProtocolMethods.LedgerGetBlob, new GetBlobParams { Hash = file.GetProperty("before").GetString()! });
        var after = await client.CallAsync<GetBlobResult>(ProtocolMethods.LedgerGetBlob, new GetBlobParams { Hash = file.GetProperty("after").GetString()! });
        Assert.True(before.Exists);
        Assert.Equal(original, before.Text);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(original), before.Size);
        Assert.Equal(committed, after.Text);

        var unknown = await client.CallAsync<GetBlobResult>(ProtocolMethods.LedgerGetBlob, new GetBlobParams { Hash = new string('0', 64) });
        Assert.False(unknown.Exists);
        Assert.Equal(ErrorCodes.InvalidParams, await client.ErrorCodeOfAsync(ProtocolMethods.LedgerGetBlob, new GetBlobParams { Hash = "not-a-hash" }));
    }

    [Fact]
    public async Task VerifyReportsProgressAndDriftNamesAFileChangedOutsideTheLedger()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var id = harness.StageProposal();
        await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 1 });

        var verify = await client.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams { ProgressToken = "v1" });
        Assert.True(verify.Valid);
        Assert.Equal(harness.Runtime.Ledger.Head.Seq, verify.EntriesChecked);
        await client.WaitForAsync(() => client.Progress.Any(p => p.Token == "v1" && p.Done == p.Total));

        var replay = await client.CallAsync<ReplayResultInfo>(ProtocolMethods.LedgerReplay, new LedgerWorkParams());
        Assert.Contains(replay.Files, f => f.Path == "a.txt");

        harness.Temp.Write("a.txt", "edited by hand\n");
        var drift = await client.CallAsync<DriftResultInfo>(ProtocolMethods.LedgerGetDrift, new LedgerWorkParams());
        var item = Assert.Single(drift.Items);
        Assert.Equal(("a.txt", "changedOutsideLedger"), (item.Path, item.Kind));
    }

    [Fact]
    public async Task ReplayAndDriftAfterAVerifyAnswerAsAFreshFoldDoesAndFollowLaterEntries()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var first = harness.StageProposal();
        await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = first, Revision = 1 });

        // Verify folds the world in its pass; replay and drift at the same head take that world.
        Assert.True((await client.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams())).Valid);
        var head = harness.Runtime.Ledger.Head.Seq;
        Assert.NotNull(harness.Sidecar.VerifiedWorld.At(head));
        var fresh = OpenThymos.Core.Replay.WorldReplayer.Replay(harness.Runtime.Ledger.Store);
        var replay = await client.CallAsync<ReplayResultInfo>(ProtocolMethods.LedgerReplay, new LedgerWorkParams());
        Assert.Equal(fresh.Seq, replay.Seq);
        Assert.Equal(fresh.Files.Select(f => (f.Key, f.Value)), replay.Files.Select(f => (f.Path, f.Hash)));
        Assert.Empty((await client.CallAsync<DriftResultInfo>(ProtocolMethods.LedgerGetDrift, new LedgerWorkParams())).Items);

        // An entry appended after the verify: the kept world is not at the head any more, so replay folds afresh.
        var (session, _) = harness.Runtime.OpenSession(harness.IssueWrit("second-agent").Token);
        var second = harness.Runtime.Submit(session!, new Intent("n2", "create c.txt", [new FileIntent(FileIntentKind.Create, "c.txt", Content: "new\n")]));
        Assert.Equal(SubmitOutcome.Staged, second.Outcome);
        await client.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = second.ProposalId!, Revision = 1 });
        Assert.Null(harness.Sidecar.VerifiedWorld.At(harness.Runtime.Ledger.Store.MaxSeq()));
        Assert.Null(harness.Sidecar.VerifiedWorld.At(head)); // dropped when the next entry was appended, not only ignored
        var later = await client.CallAsync<ReplayResultInfo>(ProtocolMethods.LedgerReplay, new LedgerWorkParams());
        Assert.Equal(harness.Runtime.Ledger.Head.Seq, later.Seq);
        Assert.True(later.Seq > head);
        Assert.DoesNotContain(replay.Files, f => f.Path == "c.txt");
        Assert.Contains(later.Files, f => f.Path == "c.txt" && f.Hash is not null);

        // Replay to an earlier seq never takes the kept world.
        var earlier = await client.CallAsync<ReplayResultInfo>(ProtocolMethods.LedgerReplay, new LedgerWorkParams { ToSeq = head });
        Assert.Equal(replay.Files, earlier.Files);
    }

    [Fact]
    public async Task ACancelledVerifyAnswersWithTheCancelledCode()
    {
        using var harness = new SidecarHarness();
        for (var i = 0; i < 300; i++)
        {
            harness.IssueWrit("agent" + i);
        }
        var client = await harness.ConnectEditorAsync();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        // A pre-cancelled token makes the client send $/cancelRequest immediately (or not send at all).
        var exception = await Record.ExceptionAsync(() => client.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams(), cancel.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(exception);

        using var later = new CancellationTokenSource();
        var call = client.Rpc.InvokeWithParameterObjectAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams { ProgressToken = "c" }, later.Token);
        await client.WaitForAsync(() => !client.Progress.IsEmpty || call.IsCompleted);
        await later.CancelAsync();
        var outcome = await Record.ExceptionAsync(() => call.WaitAsync(SidecarHarness.Timeout));
        // Either the server saw the cancellation (Cancelled) or verify finished first; both leave the sidecar answering.
        Assert.True(outcome is null or OperationCanceledException or StreamJsonRpc.RemoteInvocationException { ErrorCode: ErrorCodes.Cancelled }, outcome?.ToString());
        var list = await client.CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, new ListProposalsParams());
        Assert.Empty(list.Proposals);
    }

    [Fact]
    public async Task WritsAreIssuedListedAndRevokedAndThePolicyIsReported()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        var issued = await client.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue,
            new IssueWritParams { Agent = "codex", Include = ["src/**"], Effects = ["create", "modify"], LifetimeSeconds = 600 });
        Assert.StartsWith("thymos-writ-v1.", issued.Token, StringComparison.Ordinal);
        Assert.Equal("active", issued.Writ.State);

        var list = await client.CallAsync<ListWritsResult>(ProtocolMethods.WritList);
        Assert.Equal(issued.Writ.WritId, Assert.Single(list.Writs).WritId);

        await client.CallAsync<EmptyResult>(ProtocolMethods.WritRevoke, new RevokeWritParams { WritId = issued.Writ.WritId, Reason = "done" });
        list = await client.CallAsync<ListWritsResult>(ProtocolMethods.WritList);
        Assert.Equal("revoked", Assert.Single(list.Writs).State);

        var policy = await client.CallAsync<GetPolicyResult>(ProtocolMethods.PolicyGet);
        Assert.Equal("default", policy.Source);
        Assert.Contains("require-approval", policy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalsAndBadParamsCarryStableCodes()
    {
        using var harness = new SidecarHarness();
        var client = await harness.ConnectEditorAsync();
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.ProposalNotFound,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalGet, new GetProposalParams { ProposalId = "p_nope" }));
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.ProposalNotFound,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = "p_nope", Revision = 1 }));
        Assert.Equal(ErrorCodes.InvalidParams, await client.ErrorCodeOfAsync(ProtocolMethods.ProposalGet, new GetProposalParams()));
        Assert.Equal(ErrorCodes.InvalidParams,
            await client.ErrorCodeOfAsync(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "x", Include = ["**"], Effects = ["fly"], LifetimeSeconds = 60 }));
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.WritUnknown,
            await client.ErrorCodeOfAsync(ProtocolMethods.WritRevoke, new RevokeWritParams { WritId = "w_nope" }));
        var id = harness.StageProposal();
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.RevisionMismatch,
            await client.ErrorCodeOfAsync(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = id, Revision = 7 }));
        Assert.Equal(ErrorCodes.SessionRequired, await client.ErrorCodeOfAsync(ProtocolMethods.FileRead, new ReadFileParams { Path = "a.txt" }));
    }
}
