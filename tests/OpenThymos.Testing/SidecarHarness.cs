// The sidecar in-process on a temp workspace, with real JSON-RPC clients (and raw connections) over stream pairs.
using Nerdbank.Streams;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Testing;

/// <summary>Owns a temp workspace, its runtime and a sidecar; hands out connected clients.</summary>
public sealed class SidecarHarness : IDisposable
{
    public const string OperatorToken = "test-operator-token";

    private readonly List<IDisposable> _clients = [];

    /// <summary>A sidecar with <paramref name="settings"/> (by default, no socket and the test operator token) logging to <paramref name="log"/> (by default, nowhere).</summary>
    public SidecarHarness(SidecarSettings? settings = null, SidecarLog? log = null)
    {
        Temp = new TempWorkspace();
        Temp.Write("a.txt", string.Join("\n", Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n");
        Runtime = ThymosRuntime.Open(new RuntimeOptions { Ledger = Temp.Options() });
        Sidecar = new Sidecar(Runtime, settings ?? new SidecarSettings { DefaultReviewer = "tester", OperatorToken = OperatorToken, SocketPath = "" }, log ?? SidecarLog.Silent);
    }

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(15);

    public TempWorkspace Temp { get; }

    public ThymosRuntime Runtime { get; }

    public Sidecar Sidecar { get; }

    /// <summary>A client on a fresh stream pair; stdio-like (editor) or socket-like.</summary>
    public RpcTestClient Connect(bool isStdio = true)
    {
        var client = RpcTestClient.Over(Attach(isStdio), Timeout);
        _clients.Add(client);
        return client;
    }

    /// <summary>The client's end of a fresh stream pair whose other end the sidecar serves; stdio-like (editor) or socket-like.</summary>
    public Stream Attach(bool isStdio = true)
    {
        var (server, client) = FullDuplexStream.CreatePair();
        Sidecar.Attach(server, server, isStdio);
        _clients.Add(client);
        return client;
    }

    /// <summary>A connection below JSON-RPC on a fresh stream pair, for hand-made frames.</summary>
    public RawConnection ConnectRaw(bool isStdio = true) => new(Attach(isStdio), Timeout);

    /// <summary>An initialized editor client.</summary>
    public async Task<RpcTestClient> ConnectEditorAsync()
    {
        var client = Connect();
        await client.CallAsync<InitializeResult>(ProtocolMethods.Initialize, new InitializeParams { InitializationOptions = new InitializationOptions { Reviewer = "alice" } });
        await client.Rpc.NotifyWithParameterObjectAsync(ProtocolMethods.Initialized, new EmptyParams());
        return client;
    }

    /// <summary>Issues a writ directly through the runtime.</summary>
    public IssuedWrit IssueWrit(string agent = "claude", IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null)
    {
        var (writ, error) = Runtime.IssueWrit(new WritRequest(agent, "s1", include ?? ["**"], exclude, Effects.All, null, TimeSpan.FromHours(1)), "human:tester");
        Assert.Null(error);
        return writ!;
    }

    /// <summary>Stages a two-hunk change to a.txt and returns the proposal id.</summary>
    public string StageProposal(string nonce = "n1")
    {
        var writ = IssueWrit();
        var (session, _) = Runtime.OpenSession(writ.Token);
        var text = Temp.ReadText("a.txt").Replace("line 1\n", "LINE ONE\n", StringComparison.Ordinal).Replace("line 20\n", "LINE TWENTY\n", StringComparison.Ordinal);
        var hash = Runtime.ReadFile("a.txt").Hash;
        var result = Runtime.Submit(session!, new Intent(nonce, "shout", [new FileIntent(FileIntentKind.Modify, "a.txt", BaseHash: hash, Content: text)]));
        Assert.Equal(SubmitOutcome.Staged, result.Outcome);
        return result.ProposalId!;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        Sidecar.Dispose();
        Temp.Dispose();
    }
}
