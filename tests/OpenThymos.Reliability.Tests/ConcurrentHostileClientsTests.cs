// Many hostile clients at once against the real sidecar: twenty socket clients and several `thymos mcp` children send
// the whole hostile corpus and malformed frames simultaneously while an honest agent and a reviewer do real work.
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using OpenThymos.Reliability.Tests.Support;
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class ConcurrentHostileClientsTests(ITestOutputHelper output)
{
    private const int SocketClients = 20;
    private const int McpChildren = 3;
    private const int HonestProposals = 20;
    private const string HonestFolder = "honest";

    [Fact]
    public async Task HostileClientsAtOnceAreAllRefusedWhileHonestWorkCompletesAndNothingElseChanges()
    {
        await using var world = await HostileWorld.CreateAsync();
        var issued = await world.Operator.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "honest", Include = [$"{HonestFolder}/**"], Effects = ["create"], LifetimeSeconds = 3600 });
        var honest = await world.Sidecar.ConnectAgentAsync(issued.Token);
        var reviewer = await world.Sidecar.ConnectOperatorAsync();
        var sockets = new List<RpcTestClient>();
        for (var i = 0; i < SocketClients; i++)
        {
            sockets.Add(await world.Sidecar.ConnectAgentAsync(world.AgentToken));
        }
        var mcps = new List<McpAgent>();
        for (var i = 0; i < McpChildren; i++)
        {
            mcps.Add(await McpAgent.StartAsync(world.Sidecar, world.AgentToken));
        }
        var cases = HostileAgentTests.SubmissionCases(world).ToList();
        var mcpCases = HostileAgentTests.McpCases(world).ToList();
        var before = await world.SnapshotAsync(HonestFolder);

        var failures = new ConcurrentQueue<string>();
        var refused = 0;
        var mcpRefused = 0;
        var framesAnswered = 0;
        // Each socket client takes every twentieth case; cases bound to a particular writ keep their own client.
        var socketWork = Enumerable.Range(0, SocketClients).Select(c => Task.Run(async () =>
        {
            foreach (var hostile in cases.Where((_, i) => i % SocketClients == c))
            {
                var refusal = await (hostile.Client ?? sockets[c]).RefusalOfAsync(ProtocolMethods.IntentSubmit, hostile.Intent);
                foreach (var failure in HostileAgentTests.Judge(hostile.Category, hostile.Name, refusal, hostile.Code, hostile.Fragment))
                {
                    failures.Enqueue(failure);
                }
                Interlocked.Increment(ref refused);
            }
        }));
        var mcpWork = mcps.Select((mcp, m) => Task.Run(async () =>
        {
            // Every child sends the whole MCP corpus: the same hostile calls from several processes at once.
            foreach (var (category, tool, arguments, fragment, _) in mcpCases)
            {
                var (isError, text) = await mcp.CallAsync(tool, arguments);
                if (!isError || !text.Contains(fragment, StringComparison.Ordinal))
                {
                    failures.Enqueue($"mcp {m} {category}/{tool}: error={isError}, '{text}' lacks '{fragment}'");
                }
                Interlocked.Increment(ref mcpRefused);
            }
        }));
        var frameWork = Enumerable.Range(0, SocketClients).Select(i => Task.Run(async () =>
        {
            var (name, bytes) = MalformedFrames[i % MalformedFrames.Length];
            var outcome = await SendMalformedAsync(world.Sidecar, bytes);
            if (outcome is null)
            {
                failures.Enqueue($"malformed frame '{name}': neither answered with an error nor closed within {SidecarProcess.Timeout.TotalSeconds} s");
            }
            else
            {
                Interlocked.Increment(ref framesAnswered);
            }
        }));
        var honestCommits = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var honestWork = Task.Run(async () =>
        {
            for (var j = 0; j < HonestProposals; j++)
            {
                var path = $"{HonestFolder}/file{j}.txt";
                var content = $"honest work {j}\n";
                var staged = await honest.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = $"honest-{j}", Files = [new FileIntentInfo { Kind = "create", Path = path, Content = content }] });
                var decided = await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = staged.ProposalId, Revision = 1 });
                if (decided.Outcome != "committed")
                {
                    failures.Enqueue($"honest proposal {j} was {decided.Outcome}: {decided.Message}");
                }
                honestCommits[path] = content;
            }
        });
        await Task.WhenAll([.. socketWork, .. mcpWork, .. frameWork, honestWork]);

        var after = await world.SnapshotAsync(HonestFolder);
        var ledgered = cases.Count + McpChildren * mcpCases.Count(c => c.Ledgered);
        var newEntries = after.EntriesSince(before.HeadSeq).ToList();
        output.WriteLine($"concurrent: {SocketClients} socket clients refused {refused} hostile submissions, {McpChildren} thymos mcp children refused {mcpRefused} calls, {framesAnswered} malformed frames answered or closed, {HonestProposals} honest proposals committed; head {before.HeadSeq} -> {after.HeadSeq}, verify {(after.Valid ? "intact" : "BROKEN")}");
        output.WriteLine($"concurrent: new entries {string.Join(", ", newEntries.GroupBy(e => e.Kind).Select(g => $"{g.Key} {g.Count()}"))}");

        Assert.True(failures.IsEmpty, string.Join('\n', failures));
        Assert.Equal(cases.Count, refused);
        Assert.Equal(McpChildren * mcpCases.Count, mcpRefused);
        foreach (var (path, content) in honestCommits)
        {
            Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(world.Workspace, path)));
        }
        Assert.Equal(HonestProposals, honestCommits.Count);
        Assert.Equal(before.Tree, after.Tree);
        // Every refused attempt is ledgered, by count: repeats of one refusal of a session in a window share an aggregate entry.
        var (attempts, entries, _) = world.RefusalsSince(before.HeadSeq);
        Assert.Equal(ledgered, attempts);
        Assert.Equal(before.HeadSeq + entries + 3 * HonestProposals, after.HeadSeq);
        Assert.Equal(entries, newEntries.Count(e => (e.Kind, e.Actor) == ("proposal.rejected", "runtime")));
        Assert.Equal(HonestProposals, newEntries.Count(e => e.Kind == "commit"));
        Assert.True(after.Valid, "the ledger does not verify after the concurrent hostile run");
    }

    /// <summary>Frames a broken client might send: each must be answered with an error or end its connection, never hang the sidecar.</summary>
    private static readonly (string Name, byte[] Bytes)[] MalformedFrames =
    [
        ("truncated body", Encoding.ASCII.GetBytes("Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,")),
        ("Content-Length shorter than the body", Encoding.ASCII.GetBytes("Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"file/list\",\"params\":{}}")),
        ("non-numeric Content-Length", Encoding.ASCII.GetBytes("Content-Length: abc\r\n\r\n{}")),
        ("body that is not JSON", RawConnection.Frame("this is not json"u8.ToArray())),
        ("header without a blank line", Encoding.ASCII.GetBytes("Content-Length: 2\r\nX-Junk: " + new string('j', 70_000))),
    ];

    /// <summary>Sends the bytes, closes the sending side, and reads until an error answer or the end; null when neither came.</summary>
    private static async Task<string?> SendMalformedAsync(SidecarProcess sidecar, byte[] bytes)
    {
        using var socket = await sidecar.ConnectRawAsync();
        await socket.SendAsync(bytes, SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(SidecarProcess.Timeout);
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return "closed";
                }
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
                if (received.ToString().Contains("\"error\"", StringComparison.Ordinal))
                {
                    return "error";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return "reset";
        }
    }
}
