// The stage for the hostile-agent tests: a workspace with traps (links out, a hard link, a FIFO, a device),
// a real sidecar process, and writs in every state an attacker might exploit.
using System.Diagnostics;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>What a snapshot of the world holds: the tree's fingerprint and the ledger's verified head.</summary>
public sealed record WorldSnapshot(string Tree, long HeadSeq, bool Valid, IReadOnlyList<EntrySummary> Recent)
{
    /// <summary>Entries appended after <paramref name="seq"/>.</summary>
    public IEnumerable<EntrySummary> EntriesSince(long seq) => Recent.Where(e => e.Seq > seq);
}

/// <summary>A workspace full of traps served by a real sidecar, with one operator and several agents.</summary>
public sealed class HostileWorld : IAsyncDisposable
{
    private readonly HashSet<string> _special = new(StringComparer.Ordinal);
    private readonly TempWorkspace _temp = new();

    private HostileWorld() => Outside = Path.Combine(Root, "outside");

    public string Root => _temp.Root;

    public string Workspace => _temp.Workspace;

    /// <summary>A folder beside the workspace that links point into; it must never change.</summary>
    public string Outside { get; }

    public string KeyDirectory => _temp.KeyDirectory;

    public SidecarProcess Sidecar { get; private set; } = null!;

    public RpcTestClient Operator { get; private set; } = null!;

    /// <summary>A broad, healthy writ's agent (all effects on everything).</summary>
    public RpcTestClient Agent { get; private set; } = null!;

    public string AgentToken { get; private set; } = "";

    public RpcTestClient ExpiredAgent { get; private set; } = null!;

    public string ExpiredToken { get; private set; } = "";

    public RpcTestClient RevokedAgent { get; private set; } = null!;

    public string RevokedToken { get; private set; } = "";

    public RpcTestClient ExhaustedAgent { get; private set; } = null!;

    public RpcTestClient ByteBudgetAgent { get; private set; } = null!;

    public RpcTestClient FileBudgetAgent { get; private set; } = null!;

    public RpcTestClient ModifyOnlyAgent { get; private set; } = null!;

    public RpcTestClient SrcOnlyAgent { get; private set; } = null!;

    /// <summary>A token signed by another workspace's key.</summary>
    public string ForeignToken { get; private set; } = "";

    /// <summary>The nonce of a proposal the broad agent staged during setup.</summary>
    public string UsedNonce { get; } = "setup-nonce";

    public string AHash { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    public static async Task<HostileWorld> CreateAsync()
    {
        var world = new HostileWorld();
        await world.SetUpAsync();
        return world;
    }

    /// <summary>Fingerprints the workspace and the folder beside it, and reads the ledger's head and verify result.</summary>
    public async Task<WorldSnapshot> SnapshotAsync(string? excludedFolder = null)
    {
        var verify = await Operator.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams());
        var entries = await Operator.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 1000 });
        var tree = WorkspaceTree.Fingerprint(Workspace, _special, excludedFolder) + WorkspaceTree.Fingerprint(Outside, _special);
        return new WorldSnapshot(tree, entries.HeadSeq, verify.Valid && verify.Problems.Count == 0, entries.Entries);
    }

    /// <summary>
    /// The refused attempts the ledger accounts for after <paramref name="seq"/>: the sum of the counts of the runtime's
    /// rejections without a proposal (an aggregate entry counts the repeats of one refusal in a window). Read from the
    /// ledger file read-only while the sidecar runs; take a snapshot first, which makes the sidecar ledger its counts.
    /// </summary>
    public (long Attempts, int Entries, long LargestPayload) RefusalsSince(long seq)
    {
        using var store = LedgerStores.Default.OpenReadOnly(LedgerOptions.DefaultLedgerPath(Workspace));
        long attempts = 0;
        var entries = 0;
        long largest = 0;
        foreach (var entry in store.ReadRange(seq + 1, long.MaxValue).Where(e => e.Kind == EntryKind.Rejection))
        {
            var rejection = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
            if (rejection.ProposalId is null)
            {
                attempts += rejection.Attempts;
                entries++;
                largest = Math.Max(largest, entry.Payload.Length);
            }
        }

        return (attempts, entries, largest);
    }

    private async Task SetUpAsync()
    {
        Directory.CreateDirectory(Workspace);
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(Path.Combine(Workspace, "src"));
        Directory.CreateDirectory(Path.Combine(Workspace, "inner-dir"));
        Directory.CreateDirectory(Path.Combine(Workspace, ".git", "hooks"));
        await File.WriteAllTextAsync(Path.Combine(Workspace, "a.txt"), "alpha\nbeta\n");
        await File.WriteAllTextAsync(Path.Combine(Workspace, "src", "main.txt"), "main\n");
        await File.WriteAllTextAsync(Path.Combine(Workspace, ".git", "config"), "[core]\n");
        await File.WriteAllTextAsync(Path.Combine(Workspace, ".git", "HEAD"), "ref: refs/heads/main\n");
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret.txt"), "secret\n");
        File.CreateSymbolicLink(Path.Combine(Workspace, "escape-dir"), "../outside");
        File.CreateSymbolicLink(Path.Combine(Workspace, "escape-file"), Path.Combine(Outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(Workspace, "inner-link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(Workspace, "inner-dir", "a.txt"), "../a.txt");
        await RunAsync("ln", Path.Combine(Outside, "secret.txt"), Path.Combine(Workspace, "hard.txt"));
        await RunAsync("mkfifo", Path.Combine(Workspace, "pipe"));
        await RunAsync("mknod", Path.Combine(Workspace, "devnull"), "c", "1", "3");
        _special.Add(Path.Combine(Workspace, "pipe"));
        _special.Add(Path.Combine(Workspace, "devnull"));
        AHash = ContentHashOf("alpha\nbeta\n");
        SecretHash = ContentHashOf("secret\n");
        ForeignToken = IssueForeignToken();

        Sidecar = await SidecarProcess.StartAsync(Workspace, KeyDirectory);
        Operator = await Sidecar.ConnectOperatorAsync();
        (Agent, AgentToken) = await AgentAsync(new IssueWritParams { Agent = "mallory", Include = ["**"], Effects = ["create", "modify", "delete", "rename"], LifetimeSeconds = 3600 });
        // Five seconds, so its session opens while it is valid even on a loaded machine (one second was not always enough).
        var expiring = System.Diagnostics.Stopwatch.StartNew();
        var (expired, expiredToken) = await AgentAsync(new IssueWritParams { Agent = "expiring", Include = ["**"], Effects = ["create"], LifetimeSeconds = ExpiringLifetimeSeconds });
        (ExpiredAgent, ExpiredToken) = (expired, expiredToken);
        (RevokedAgent, RevokedToken) = await AgentAsync(new IssueWritParams { Agent = "revoked", Include = ["**"], Effects = ["create"], LifetimeSeconds = 3600 });
        var revokedId = (await RevokedAgent.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = RevokedToken })).Writ!.WritId;
        await Operator.CallAsync<object>(ProtocolMethods.WritRevoke, new RevokeWritParams { WritId = revokedId, Reason = "hostile test" });
        (ExhaustedAgent, _) = await AgentAsync(new IssueWritParams { Agent = "exhausted", Include = ["**"], Effects = ["create"], MaxProposals = 1, LifetimeSeconds = 3600 });
        var used = await ExhaustedAgent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = "only-one", Files = [new FileIntentInfo { Kind = "create", Path = "first.txt", Content = "1\n" }] });
        Assert.Equal("staged", used.Outcome);
        (ByteBudgetAgent, _) = await AgentAsync(new IssueWritParams { Agent = "bytes", Include = ["**"], Effects = ["create"], MaxBytes = 100, LifetimeSeconds = 3600 });
        (FileBudgetAgent, _) = await AgentAsync(new IssueWritParams { Agent = "files", Include = ["**"], Effects = ["create"], MaxFiles = 1, LifetimeSeconds = 3600 });
        (ModifyOnlyAgent, _) = await AgentAsync(new IssueWritParams { Agent = "modifier", Include = ["**"], Effects = ["modify"], LifetimeSeconds = 3600 });
        (SrcOnlyAgent, _) = await AgentAsync(new IssueWritParams { Agent = "scoped", Include = ["src/**"], Effects = ["create", "modify"], LifetimeSeconds = 3600 });
        var staged = await Agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = UsedNonce, Files = [new FileIntentInfo { Kind = "create", Path = "staged.txt", Content = "staged\n" }] });
        Assert.Equal("staged", staged.Outcome);
        // The expiring writ's session was opened while it was valid; wait until it has certainly expired.
        var left = TimeSpan.FromSeconds(ExpiringLifetimeSeconds + 0.5) - expiring.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    private const int ExpiringLifetimeSeconds = 5;

    private async Task<(RpcTestClient Client, string Token)> AgentAsync(IssueWritParams request)
    {
        var issued = await Operator.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, request);
        var client = await Sidecar.ConnectAsync();
        if (request.Agent != "revoked")
        {
            await client.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = issued.Token });
        }
        return (client, issued.Token);
    }

    private string IssueForeignToken()
    {
        var foreign = Path.Combine(Root, "foreign");
        Directory.CreateDirectory(Path.Combine(foreign, "workspace"));
        using var runtime = ThymosRuntime.Open(new RuntimeOptions
        {
            Ledger = new LedgerOptions { WorkspaceRoot = Path.Combine(foreign, "workspace"), StoreFactory = LedgerStores.Default, KeyDirectory = Path.Combine(foreign, "keys"), HolderDescription = "hostile test (foreign workspace)" },
        });
        var (writ, error) = runtime.IssueWrit(new WritRequest("mallory", "s1", ["**"], null, Effects.All, null, TimeSpan.FromHours(1)), "human:foreign");
        Assert.Null(error);
        return writ!.Token;
    }

    private static string ContentHashOf(string text) => OpenThymos.Core.Hashing.ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(text)).ToString();

    private static async Task RunAsync(string command, params string[] args)
    {
        using var process = Process.Start(command, args);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed with exit code {process.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Sidecar is not null)
        {
            await Sidecar.DisposeAsync();
        }
        _temp.Dispose();
    }
}
