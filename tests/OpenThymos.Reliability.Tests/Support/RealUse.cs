// A ledger made by real use of the sidecar, for the tamper harnesses to mutate.
using OpenThymos.Core.Hashing;
using Xunit;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>Drives the real sidecar through the work that fills a ledger: writs, proposals, partial approvals, rejections, reverts, a revocation.</summary>
internal static class RealUse
{
    public static async Task RecordAsync(TempWorkspace temp)
    {
        await File.WriteAllTextAsync(Path.Combine(temp.Workspace, "README.md"), "tamper source\n");
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var reviewer = await sidecar.ConnectOperatorAsync();
        var writA = await reviewer.CallAsync<Server.Protocol.IssueWritResult>(Server.Protocol.ProtocolMethods.WritIssue, new Server.Protocol.IssueWritParams { Agent = "agent-a", Include = ["**"], Effects = ["create", "modify", "delete"], LifetimeSeconds = 3600 });
        var writB = await reviewer.CallAsync<Server.Protocol.IssueWritResult>(Server.Protocol.ProtocolMethods.WritIssue, new Server.Protocol.IssueWritParams { Agent = "agent-b", Include = ["docs/**"], Effects = ["create"], MaxProposals = 10, LifetimeSeconds = 3600 });
        var a = await sidecar.ConnectAgentAsync(writA.Token);
        var b = await sidecar.ConnectAgentAsync(writB.Token);
        for (var round = 0; round < 3; round++)
        {
            var created = await SubmitAsync(a, $"c{round}",
                new Server.Protocol.FileIntentInfo { Kind = "create", Path = $"src/one{round}.txt", Content = $"one {round}\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n" },
                new Server.Protocol.FileIntentInfo { Kind = "create", Path = $"src/two{round}.txt", Content = $"two {round}\r\nwindows line\r\n" },
                new Server.Protocol.FileIntentInfo { Kind = "create", Path = $"bin/blob{round}.bin", ContentBase64 = Convert.ToBase64String([0, 1, 2, 255, (byte)round, 0xFE]) });
            await ApproveAsync(reviewer, created);
            var modified = await SubmitAsync(a, $"m{round}", new Server.Protocol.FileIntentInfo { Kind = "modify", Path = $"src/one{round}.txt", BaseHash = Hash(temp, $"src/one{round}.txt"), Content = $"ONE {round}\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nLAST\n" });
            await reviewer.CallAsync<Server.Protocol.DecisionResultInfo>(Server.Protocol.ProtocolMethods.ProposalApprove, new Server.Protocol.ApproveProposalParams { ProposalId = modified, Revision = 1, Hunks = [$"src/one{round}.txt#h1"] });
            await reviewer.CallAsync<Server.Protocol.DecisionResultInfo>(Server.Protocol.ProtocolMethods.ProposalReject, new Server.Protocol.RejectProposalParams { ProposalId = modified, Revision = 1, Reason = "not the last line" });
            var deleted = await SubmitAsync(a, $"d{round}", new Server.Protocol.FileIntentInfo { Kind = "delete", Path = $"src/two{round}.txt", BaseHash = Hash(temp, $"src/two{round}.txt") });
            var deletion = await ApproveAsync(reviewer, deleted);
            var doc = await SubmitAsync(b, $"b{round}", new Server.Protocol.FileIntentInfo { Kind = "create", Path = $"docs/note{round}.md", Content = $"# note {round}\n" });
            await reviewer.CallAsync<Server.Protocol.DecisionResultInfo>(Server.Protocol.ProtocolMethods.ProposalReject, new Server.Protocol.RejectProposalParams { ProposalId = doc, Revision = 1, Reason = "no" });
            if (round == 1)
            {
                await reviewer.CallAsync<Server.Protocol.DecisionResultInfo>(Server.Protocol.ProtocolMethods.LedgerRevertCommit, new Server.Protocol.RevertCommitParams { Seq = deletion, Reason = "undo the deletion of round 1" });
            }
        }
        await reviewer.CallAsync<Server.Protocol.EmptyResult>(Server.Protocol.ProtocolMethods.WritRevoke, new Server.Protocol.RevokeWritParams { WritId = writB.Writ.WritId, Reason = "done" });
    }

    private static async Task<string> SubmitAsync(RpcTestClient agent, string nonce, params Server.Protocol.FileIntentInfo[] files)
    {
        var result = await agent.CallAsync<Server.Protocol.SubmitIntentResult>(Server.Protocol.ProtocolMethods.IntentSubmit, new Server.Protocol.SubmitIntentParams { Nonce = nonce, Files = files });
        Assert.Equal("staged", result.Outcome);
        return result.ProposalId;
    }

    private static async Task<long> ApproveAsync(RpcTestClient reviewer, string proposalId)
    {
        var result = await reviewer.CallAsync<Server.Protocol.DecisionResultInfo>(Server.Protocol.ProtocolMethods.ProposalApprove, new Server.Protocol.ApproveProposalParams { ProposalId = proposalId, Revision = 1 });
        Assert.Equal("committed", result.Outcome);
        return result.CommitSeq!.Value;
    }

    private static string Hash(TempWorkspace temp, string path) => ContentHash.Of(File.ReadAllBytes(Path.Combine(temp.Workspace, path))).ToString();
}
