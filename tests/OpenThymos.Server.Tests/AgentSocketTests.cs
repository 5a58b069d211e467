// The agent socket over a real Unix domain socket: sessions, scoped reads, intents, waiting, the operator token and file modes.
using System.Net.Sockets;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Sockets;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class AgentSocketTests : IDisposable
{
    private readonly SidecarHarness _harness = new();
    private readonly AgentSocketListener _listener;
    private readonly List<IDisposable> _owned = [];

    public AgentSocketTests()
    {
        _listener = AgentSocketListener.Start(AgentSocketListener.DefaultPath(_harness.Temp.KeyDirectory, _harness.Runtime.Ledger.WorkspaceId), _harness.Sidecar);
    }

    [Fact]
    public void TheSocketFileIsOwnerOnly()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_listener.Path));
        Assert.StartsWith(_harness.Temp.KeyDirectory, _listener.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutASessionEveryMethodAnswersSessionRequired()
    {
        var client = await ConnectAsync();
        Assert.Equal(ErrorCodes.SessionRequired, await client.ErrorCodeOfAsync(ProtocolMethods.FileRead, new ReadFileParams { Path = "a.txt" }));
        Assert.Equal(ErrorCodes.SessionRequired, await client.ErrorCodeOfAsync(ProtocolMethods.ProposalList, new ListProposalsParams()));
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.WritUnknown,
            await client.ErrorCodeOfAsync(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = "thymos-writ-v1.garbage" }));
    }

    [Fact]
    public async Task AnAgentReadsListsAndSubmitsWithinItsScopeAndWaitsForTheReviewersDecision()
    {
        _harness.Temp.Write("src/b.txt", "bee\n");
        _harness.Temp.Write("secret/c.txt", "sea\n");
        var writ = _harness.IssueWrit("claude", include: ["a.txt", "src/**"]);
        var agent = await ConnectAsync();
        var session = await agent.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = writ.Token });
        Assert.Equal("agent", session.Role);
        Assert.Equal(writ.Writ.Id, session.Writ!.WritId);

        var list = await agent.CallAsync<ListFilesResult>(ProtocolMethods.FileList, new ListFilesParams());
        Assert.Equal(["a.txt", "src/b.txt"], list.Files);
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.WritRefused,
            await agent.ErrorCodeOfAsync(ProtocolMethods.FileRead, new ReadFileParams { Path = "secret/c.txt" }));
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.PolicyDenied,
            await agent.ErrorCodeOfAsync(ProtocolMethods.FileRead, new ReadFileParams { Path = ".thymos/ledger.db" }));
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.PathRefused,
            await agent.ErrorCodeOfAsync(ProtocolMethods.FileRead, new ReadFileParams { Path = "../outside" }));
        Assert.Equal(ErrorCodes.SessionRequired, await agent.ErrorCodeOfAsync(ProtocolMethods.ProposalList, new ListProposalsParams()));
        Assert.Equal(ErrorCodes.SessionRequired, await agent.ErrorCodeOfAsync(ProtocolMethods.ProposalAmend, new AmendProposalParams { ProposalId = "p_x", Revision = 1, Path = "a.txt", Text = "x\n" }));

        var read = await agent.CallAsync<ReadFileResult>(ProtocolMethods.FileRead, new ReadFileParams { Path = "src/b.txt" });
        Assert.Equal("bee\n", read.Text);
        var submitted = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams
        {
            Nonce = "n-1",
            Description = "buzz",
            Files = [new FileIntentInfo { Kind = "modify", Path = "src/b.txt", BaseHash = read.Hash, Content = "buzz\n" }],
        });
        Assert.Equal(("staged", "pending"), (submitted.Outcome, submitted.Status));
        var status = await agent.CallAsync<ProposalStatusResult>(ProtocolMethods.ProposalGetStatus, new ProposalStatusParams { ProposalId = submitted.ProposalId });
        Assert.False(status.Decided);
        await agent.WaitForAsync(() => agent.ProposalChanges.Any(p => p.ProposalId == submitted.ProposalId));

        var timedOut = await agent.CallAsync<ProposalStatusResult>(ProtocolMethods.ProposalWaitDecision, new WaitDecisionParams { ProposalId = submitted.ProposalId, TimeoutMs = 50 });
        Assert.True(timedOut.TimedOut);

        var waiting = agent.CallAsync<ProposalStatusResult>(ProtocolMethods.ProposalWaitDecision, new WaitDecisionParams { ProposalId = submitted.ProposalId, TimeoutMs = 10_000 });
        var editor = await _harness.ConnectEditorAsync();
        await editor.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = submitted.ProposalId, Revision = 1 });
        var decided = await waiting;
        Assert.True(decided.Decided);
        Assert.False(decided.TimedOut);
        Assert.Equal("approved", decided.Status);
        Assert.Single(decided.CommitSeqs);
        Assert.Equal("buzz\n", _harness.Temp.ReadText("src/b.txt"));
    }

    [Fact]
    public async Task TheOperatorTokenOpensTheEditorSurface()
    {
        var client = await ConnectAsync();
        var session = await client.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = SidecarHarness.OperatorToken });
        Assert.Equal("operator", session.Role);
        var writs = await client.CallAsync<ListWritsResult>(ProtocolMethods.WritList);
        Assert.Empty(writs.Writs);
        Assert.Equal(ErrorCodes.SessionRequired, await client.ErrorCodeOfAsync(ProtocolMethods.FileList, new ListFilesParams()));
    }

    [Fact]
    public void TheOperatorTokenFileIsOwnerOnlyAndRemovedAtExit()
    {
        var path = OperatorToken.DefaultPath(_harness.Temp.KeyDirectory, _harness.Runtime.Ledger.WorkspaceId);
        using (var token = OperatorToken.Generate(path))
        {
            Assert.Equal(64, token.Value.Length);
            Assert.False(File.Exists(path)); // written only once the socket listens
            token.Publish();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(token.Value, File.ReadAllText(path));
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ManyConcurrentAgentsEachGetTheirProposalStaged()
    {
        var tasks = Enumerable.Range(0, 8).Select(async i =>
        {
            var writ = _harness.IssueWrit("agent" + i, include: [$"f{i}.txt"]);
            var agent = await ConnectAsync();
            await agent.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = writ.Token });
            var result = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams
            {
                Nonce = "n" + i,
                Files = [new FileIntentInfo { Kind = "create", Path = $"f{i}.txt", Content = $"{i}\n" }],
            });
            return result.ProposalId;
        });
        var ids = await Task.WhenAll(tasks);
        Assert.Equal(8, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(_harness.Runtime.GetProposal(id)!.IsPending));
    }

    private async Task<RpcTestClient> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_listener.Path));
        var client = RpcTestClient.Over(new NetworkStream(socket, ownsSocket: true), SidecarHarness.Timeout);
        _owned.Add(client);
        return client;
    }

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }
        _listener.Dispose();
        _harness.Dispose();
    }
}
