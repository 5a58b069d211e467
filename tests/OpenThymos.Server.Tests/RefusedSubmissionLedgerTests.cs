// Every submission an agent session makes and the sidecar refuses is ledgered, whichever layer refused it: the frame
// guard (over the size cap), the params reader (invalid UTF-8), the params conversion, or session/open itself.
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class RefusedSubmissionLedgerTests
{
    [Fact]
    public async Task ASubmissionOverTheSizeCapIsLedgeredAsARefusedIntentOfItsSession()
    {
        using var harness = new SidecarHarness(new SidecarSettings { MaxMessageBytes = 4096 });
        var agent = await OpenAgentAsync(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = await agent.ErrorOfAsync(2, """{"jsonrpc":"2.0","id":2,"method":"intent/submit","params":{"nonce":"big","files":[{"kind":"create","path":"big.txt","content":""" + "\"" + new string('A', 10_000) + "\"}]}}");

        Assert.Equal(ErrorCodes.MessageTooLarge, error.Code);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal((RejectionReason.IntentInvalid, "claude", agent.WritId), (rejection.ReasonCode, rejection.Agent, rejection.WritId));
        Assert.Contains("before it was read", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("limit is 4096 bytes", rejection.Reason, StringComparison.Ordinal);
        Assert.Null(rejection.ProposalId);
    }

    [Fact]
    public async Task AnOversizedRequestThatIsNotASubmissionIsAnsweredButNotLedgered()
    {
        using var harness = new SidecarHarness(new SidecarSettings { MaxMessageBytes = 4096 });
        var agent = await OpenAgentAsync(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = await agent.ErrorOfAsync(2, """{"jsonrpc":"2.0","id":2,"method":"file/read","params":{"path":""" + "\"" + new string('a', 10_000) + "\"}}");

        Assert.Equal(ErrorCodes.MessageTooLarge, error.Code);
        Assert.Equal(head, harness.Runtime.Ledger.Head.Seq);
    }

    [Fact]
    public async Task AnOversizedSubmissionFromAConnectionWithoutASessionIsAnsweredButNotLedgered()
    {
        // No session, no agent to name: such a connection can only open a session, and its noise is not recorded.
        using var harness = new SidecarHarness(new SidecarSettings { MaxMessageBytes = 4096 });
        var raw = RawAgent.Attach(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = await raw.ErrorOfAsync(1, """{"jsonrpc":"2.0","id":1,"method":"intent/submit","params":{"nonce":"big","files":[{"kind":"create","path":"big.txt","content":""" + "\"" + new string('A', 10_000) + "\"}]}}");

        Assert.Equal(ErrorCodes.MessageTooLarge, error.Code);
        Assert.Equal(head, harness.Runtime.Ledger.Head.Seq);
    }

    [Fact]
    public async Task ASubmissionWithInvalidUtf8IsLedgeredAsARefusedIntent()
    {
        using var harness = new SidecarHarness();
        var agent = await OpenAgentAsync(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"intent/submit\",\"params\":{\"nonce\":\"u\",\"files\":[{\"kind\":\"create\",\"content\":\"x\",\"path\":\"a"u8, 0xFF, .. "\"}]}}"u8];
        var error = await agent.ErrorOfAsync(2, body);

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal((RejectionReason.IntentInvalid, agent.WritId), (rejection.ReasonCode, rejection.WritId));
        Assert.Contains("UTF-8", rejection.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(harness.Temp.Root, "a\uFFFD")));
    }

    [Fact]
    public async Task ASubmissionWithInvalidParamsIsLedgeredNamingItsPaths()
    {
        using var harness = new SidecarHarness();
        var agent = await OpenAgentAsync(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var error = await agent.ErrorOfAsync(2, """{"jsonrpc":"2.0","id":2,"method":"intent/submit","params":{"nonce":"k","files":[{"kind":"explode","path":"src/x.txt"}]}}""");

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal(RejectionReason.IntentInvalid, rejection.ReasonCode);
        Assert.Equal(["src/x.txt"], rejection.Paths);
        Assert.Contains("explode", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionOpenWithoutATokenIsLedgeredOnce()
    {
        using var harness = new SidecarHarness();
        var raw = RawAgent.Attach(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var first = await raw.ErrorOfAsync(1, """{"jsonrpc":"2.0","id":1,"method":"session/open","params":{"token":""}}""");
        var again = await raw.ErrorOfAsync(2, """{"jsonrpc":"2.0","id":2,"method":"session/open","params":{}}""");

        Assert.Equal((ErrorCodes.InvalidParams, ErrorCodes.InvalidParams), (first.Code, again.Code));
        Assert.Contains("token", first.Message, StringComparison.Ordinal);
        var rejection = OnlyRejectionAfter(harness, head);
        Assert.Equal(RejectionReason.SessionRefused, rejection.ReasonCode);
        Assert.Contains("No writ token", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedSessionOpenOverTheSocketIsLedgeredAndTheConnectionMayStillOpenAGoodOne()
    {
        using var harness = new SidecarHarness();
        var writ = harness.IssueWrit();
        var raw = RawAgent.Attach(harness);
        var head = harness.Runtime.Ledger.Head.Seq;

        var refused = await raw.ErrorOfAsync(1, """{"jsonrpc":"2.0","id":1,"method":"session/open","params":{"token":"thymos-writ-v1.forged"}}""");
        Assert.Equal(ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.WritUnknown, refused.Code);
        Assert.Equal(RejectionReason.SessionRefused, OnlyRejectionAfter(harness, head).ReasonCode);

        var opened = await raw.AnswerAsync(2, $$$"""{"jsonrpc":"2.0","id":2,"method":"session/open","params":{"token":"{{{writ.Token}}}"}}""");
        Assert.Equal("agent", opened.GetProperty("result").GetProperty("role").GetString());
        Assert.Equal(head + 1, harness.Runtime.Ledger.Head.Seq);
    }

    private static async Task<RawAgent> OpenAgentAsync(SidecarHarness harness)
    {
        var writ = harness.IssueWrit();
        var raw = RawAgent.Attach(harness, writ.Writ.Id);
        var opened = await raw.AnswerAsync(1, $$$"""{"jsonrpc":"2.0","id":1,"method":"session/open","params":{"token":"{{{writ.Token}}}"}}""");
        Assert.Equal("agent", opened.GetProperty("result").GetProperty("role").GetString());
        return raw;
    }

    private static RejectionPayload OnlyRejectionAfter(SidecarHarness harness, long head)
    {
        var entry = Assert.Single(harness.Runtime.Ledger.Read(head + 1, long.MaxValue).ToList());
        Assert.Equal((EntryKind.Rejection, "runtime"), (entry.Kind, entry.Actor));
        return WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
    }

    /// <summary>A socket-side connection (not stdio) spoken to in raw frames, so the guard and params reader are reached.</summary>
    private sealed class RawAgent(RawConnection connection, string writId)
    {
        public string WritId { get; } = writId;

        public static RawAgent Attach(SidecarHarness harness, string writId = "") => new(harness.ConnectRaw(isStdio: false), writId);

        public async Task<(int Code, string Message)> ErrorOfAsync(int id, string json) => await ErrorOfAsync(id, Encoding.UTF8.GetBytes(json));

        public async Task<(int Code, string Message)> ErrorOfAsync(int id, byte[] body)
        {
            await connection.SendFrameAsync(body);
            var answer = await connection.AnswerAsync(id);
            Assert.True(answer.TryGetProperty("error", out var error), $"request {id} was not refused: {answer}");
            return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString() ?? "");
        }

        public async Task<JsonElement> AnswerAsync(int id, string json)
        {
            await connection.SendFrameAsync(json);
            return await connection.AnswerAsync(id);
        }
    }
}
