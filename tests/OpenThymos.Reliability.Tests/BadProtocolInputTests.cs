// Bad protocol input against the real sidecar process: truncated frames, wrong Content-Length, a client that
// sends forever and one that never reads. The sidecar's memory stays bounded and other clients are served.
using System.Net.Sockets;
using System.Text;
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class BadProtocolInputTests(ITestOutputHelper output)
{
    /// <summary>How much resident memory the hostile clients may add; the frame cap alone is 16 MiB.</summary>
    private const long MaxGrowthKilobytes = 256 * 1024;

    [Fact]
    public async Task HostileFramingAndSlowClientsLeaveTheSidecarBoundedAndServingOthers()
    {
        using var temp = new TempWorkspace();
        // a.txt is 256 KiB, so 2,000 unread answers would be 500 MiB if the sidecar buffered them all.
        await File.WriteAllTextAsync(Path.Combine(temp.Workspace, "a.txt"), string.Concat(Enumerable.Repeat("alpha beta gamma delta\n", 256 * 1024 / 23)));
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var other = await sidecar.ConnectOperatorAsync();
        await AnswersAsync(other);
        var baseline = sidecar.ResidentKilobytes();
        var peak = baseline;

        // A truncated frame: the header promises 100 bytes, 40 arrive, then the client goes away.
        using (var truncated = await sidecar.ConnectRawAsync())
        {
            await truncated.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sess"), SocketFlags.None);
        }
        await AnswersAsync(other);

        // A wrong Content-Length (shorter than the body): the rest is read as the next header section, which has no
        // Content-Length once the client sends the next blank line, so the connection is closed.
        var wrong = new RawConnection(await sidecar.ConnectRawAsync());
        await wrong.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/open\",\"params\":{\"token\":\"x\"}}\r\n\r\n"));
        Assert.True(await ClosedByTheSidecarAsync(wrong.Socket), "a frame with a wrong Content-Length did not end its connection");
        await AnswersAsync(other);

        // A client that sends forever: one frame announcing 1 GB, then 256 MiB of body streamed as fast as the sidecar takes it.
        var forever = await sidecar.ConnectRawAsync();
        await forever.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 1000000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":\""), SocketFlags.None);
        var chunk = Encoding.ASCII.GetBytes(new string('A', 1024 * 1024));
        for (var sent = 0; sent < 256; sent++)
        {
            await forever.SendAsync(chunk, SocketFlags.None);
            if (sent % 32 == 0)
            {
                peak = Math.Max(peak, sidecar.ResidentKilobytes());
                await AnswersAsync(other);
            }
        }

        // A client that never reads: it sends 2,000 requests whose answers are large, and reads none of them.
        var writ = await other.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "deaf", Include = ["**"], Effects = ["modify"], LifetimeSeconds = 3600 });
        var deaf = new RawConnection(await sidecar.ConnectRawAsync());
        await deaf.SendAsync(RawConnection.Frame(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":1,"method":"session/open","params":{"token":"{{{writ.Token}}}"}}""")));
        Assert.Equal("agent", (await deaf.AnswerAsync(1)).GetProperty("result").GetProperty("role").GetString());
        var request = new StringBuilder();
        for (var id = 2; id < 2002; id++)
        {
            request.Clear().Append($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"file/read","params":{"path":"a.txt"}}""");
            using var send = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await deaf.Socket.SendAsync(RawConnection.Frame(Encoding.UTF8.GetBytes(request.ToString())), SocketFlags.None, send.Token);
            }
            catch (OperationCanceledException)
            {
                // The sidecar stopped reading from this client because it will not read its answers: that is the bound.
                output.WriteLine($"never-reading client: the sidecar stopped taking requests after {id - 2}");
                break;
            }
            if (id % 250 == 0)
            {
                peak = Math.Max(peak, sidecar.ResidentKilobytes());
            }
        }
        await AnswersAsync(other);
        peak = Math.Max(peak, sidecar.ResidentKilobytes());

        output.WriteLine($"bad input: sidecar RSS baseline {baseline / 1024} MiB, peak {peak / 1024} MiB, growth {(peak - baseline) / 1024} MiB; another client was answered throughout");
        Assert.True(peak - baseline < MaxGrowthKilobytes, $"the sidecar grew by {(peak - baseline) / 1024} MiB");
        Assert.False(sidecar.HasExited);
        var verify = await other.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams());
        Assert.True(verify.Valid);
    }

    private static async Task AnswersAsync(RpcTestClient client)
    {
        var list = await client.CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, new ListProposalsParams());
        Assert.NotNull(list.Proposals);
    }

    private static async Task<bool> ClosedByTheSidecarAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(SidecarProcess.Timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
