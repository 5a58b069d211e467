// The editor's notifications arrive in ledger order, each proposal/didChange after the ledger/didAppend of the entry that caused it.
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests.Connections;

public sealed class NotificationOrderTests
{
    [Fact]
    public async Task EachProposalChangeReachesTheEditorAfterTheEntryThatCausedItAndEntriesArriveInLedgerOrder()
    {
        using var harness = new SidecarHarness();
        var editor = harness.ConnectRaw(isStdio: true);
        await editor.SendFrameAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""");
        await editor.SendFrameAsync("""{"jsonrpc":"2.0","method":"initialized","params":{}}""");
        await editor.NextAsync(frame => frame.TryGetProperty("id", out _));

        // One proposal staged by the runtime directly (its entry is announced from the thread pool), then twenty from
        // an agent over the socket surface (announced by the submitting thread itself).
        var staged = new List<string> { harness.StageProposal() };
        var writ = harness.IssueWrit("agent-order");
        var agent = harness.Connect(isStdio: false);
        await agent.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = writ.Token });
        var read = await agent.CallAsync<ReadFileResult>(ProtocolMethods.FileRead, new ReadFileParams { Path = "a.txt" });
        for (var index = 0; index < 20; index++)
        {
            var submitted = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams
            {
                Nonce = $"order-{index}",
                Description = "order",
                Files = [new FileIntentInfo { Kind = "modify", Path = "a.txt", BaseHash = read.Hash, Content = $"version {index}\n" }],
            });
            Assert.Equal("staged", submitted.Outcome);
            staged.Add(submitted.ProposalId!);
        }

        var announced = new HashSet<string>(StringComparer.Ordinal);
        var lastSeq = 0L;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        while (!staged.All(changed.Contains))
        {
            var frame = await editor.NextAsync(frame => frame.TryGetProperty("method", out _));
            var parameters = frame.GetProperty("params");
            switch (frame.GetProperty("method").GetString())
            {
                case ProtocolMethods.LedgerDidAppend:
                    var entry = parameters.GetProperty("entry");
                    var seq = entry.GetProperty("seq").GetInt64();
                    Assert.True(seq > lastSeq, $"ledger/didAppend for seq {seq} arrived after seq {lastSeq}");
                    lastSeq = seq;
                    if (entry.GetProperty("kind").GetString() == "proposal.staged")
                    {
                        announced.Add(entry.GetProperty("proposalId").GetString()!);
                    }
                    break;
                case ProtocolMethods.ProposalDidChange:
                    var id = parameters.GetProperty("proposal").GetProperty("proposalId").GetString()!;
                    Assert.True(announced.Contains(id), $"proposal/didChange for {id} arrived before the ledger/didAppend of its proposal.staged entry");
                    changed.Add(id);
                    break;
            }
        }
    }
}
