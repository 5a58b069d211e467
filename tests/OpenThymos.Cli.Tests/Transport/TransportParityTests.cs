// The CLI's two transports (the ledger opened in-process, and a running sidecar's socket) give the same answers: each
// case here was answered differently by the two before both called the sidecar's one surface.
using System.Text.RegularExpressions;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Cli.Workspace;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Cli.Tests.Transport;

public sealed class TransportParityTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    [Fact]
    public async Task BothTransportsAnswerTheSameQueriesAndRefusalsAboutTheSameLedger()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        workspace.Write("old.txt", "moving\n");
        Directory.CreateDirectory(Path.Combine(workspace.Workspace, ".git"));
        workspace.Write(".git/config", "[core]\n");
        var alpha = await workspace.GrantAsync("alpha");
        var beta = await workspace.GrantAsync("beta");
        var location = new WorkspaceLocation(workspace.Workspace, workspace.KeyDirectory);

        string renameId, betaId;
        await using (var agent = await BackendFactory.AgentAsync(location, alpha, Timeout()))
        {
            Assert.IsType<LocalBackend>(agent);
            var old = await agent.ReadFileAsync("old.txt", Timeout());
            await agent.SubmitAsync(Intent(new FileIntentInfo { Kind = "modify", Path = "a.txt", Content = "two\n", BaseHash = (await agent.ReadFileAsync("a.txt", Timeout())).Hash }), Timeout());
            renameId = (await agent.SubmitAsync(Intent(new FileIntentInfo { Kind = "rename", Path = "new.txt", FromPath = "old.txt", BaseHash = old.Hash }), Timeout())).ProposalId;
        }

        await using (var agent = await BackendFactory.AgentAsync(location, beta, Timeout()))
        {
            betaId = (await agent.SubmitAsync(Intent(new FileIntentInfo { Kind = "create", Path = "b.txt", Content = "bee\n" }), Timeout())).ProposalId;
        }

        // The timeline questions read below the head both rounds share: refusals the first round provokes come after it.
        long head;
        using (var store = location.Stores.OpenReadOnly(location.LedgerPath))
        {
            head = store.MaxSeq();
        }

        var local = await AskAsync(location, alpha, renameId, betaId, head, expectSocket: false);
        await using var sidecar = await workspace.ServeAsync();
        var socket = await AskAsync(location, alpha, renameId, betaId, head, expectSocket: true);

        Assert.Equal(local.Keys.Order(StringComparer.Ordinal), socket.Keys.Order(StringComparer.Ordinal));
        foreach (var question in local.Keys)
        {
            Assert.True(local[question] == socket[question], $"{question}:\n  local:  {local[question]}\n  socket: {socket[question]}");
        }

        // The former drifts, answered the one way: a rename matches by its old path; the limit is clamped to at least one;
        // an empty status list filters nothing; another writ's proposal is absent to an agent.
        Assert.Contains(renameId, local["proposals with the rename's old path"], StringComparison.Ordinal);
        Assert.Contains("\"proposalId\"", local["proposals limited to zero"], StringComparison.Ordinal);
        Assert.Contains(betaId, local["proposals with an empty status list"], StringComparison.Ordinal);
        Assert.StartsWith("refused 1:", local["another writ's proposal status"], StringComparison.Ordinal);
        Assert.StartsWith("refused 1:", local["an entry past the head"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingForADecisionWithoutASidecarWakesWhenAnotherProcessDecides()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync("alpha");
        var location = new WorkspaceLocation(workspace.Workspace, workspace.KeyDirectory);
        await using var agent = await BackendFactory.AgentAsync(location, token, Timeout());
        Assert.IsType<LocalBackend>(agent);
        var hash = (await agent.ReadFileAsync("a.txt", Timeout())).Hash;
        var proposalId = (await agent.SubmitAsync(Intent(new FileIntentInfo { Kind = "modify", Path = "a.txt", Content = "two\n", BaseHash = hash }), Timeout())).ProposalId;

        var waiting = agent.WaitDecisionAsync(proposalId, 80_000, Timeout());
        var approve = await workspace.RunAsync("approve", proposalId + "@1", "--json");
        var decided = await waiting;

        Assert.True(approve.ExitCode == 0, approve.Stderr);
        Assert.True(decided.Decided, CliJson.Serialize(decided));
        Assert.False(decided.TimedOut, CliJson.Serialize(decided));
        Assert.Equal("approved", decided.Status);
        Assert.NotEmpty(decided.CommitSeqs);
    }

    /// <summary>Asks every question through whichever backend the factory picks, answers as text (JSON, or the refusal without its transport suffix).</summary>
    private static async Task<Dictionary<string, string>> AskAsync(WorkspaceLocation location, string alpha, string renameId, string betaId, long head, bool expectSocket)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var operatorBackend = await BackendFactory.OperatorAsync(location, requireLedger: true, Timeout()))
        {
            Assert.Equal(expectSocket, operatorBackend is SocketBackend);
            answers["proposals with the rename's old path"] = await AnswerAsync(() => operatorBackend.ListProposalsAsync(new ListProposalsParams { Path = "old.txt" }, Timeout()));
            answers["proposals limited to zero"] = await AnswerAsync(() => operatorBackend.ListProposalsAsync(new ListProposalsParams { Limit = 0 }, Timeout()));
            answers["proposals with an empty status list"] = await AnswerAsync(() => operatorBackend.ListProposalsAsync(new ListProposalsParams { Statuses = [], Agent = "" }, Timeout()));
            answers["timeline of agent alpha"] = await AnswerAsync(() => operatorBackend.ListEntriesAsync(new ListEntriesParams { Agent = "alpha", BeforeSeq = head + 1 }, Timeout()));
            answers["timeline naming old.txt"] = await AnswerAsync(() => operatorBackend.ListEntriesAsync(new ListEntriesParams { Path = "old.txt", BeforeSeq = head + 1 }, Timeout()));
            answers["timeline page of two"] = await AnswerAsync(() => operatorBackend.ListEntriesAsync(new ListEntriesParams { Limit = 2, BeforeSeq = head + 1 }, Timeout()));
            // The refusal names the current head, which the first round's refused intent moved on: compare it without.
            answers["an entry past the head"] = Regex.Replace(await AnswerAsync(() => operatorBackend.GetEntryAsync(head + 1000, Timeout())), "entries 1 to [0-9]+", "entries 1 to the head");
            answers["the rename in full"] = await AnswerAsync(() => operatorBackend.GetProposalAsync(renameId, Timeout()));
            answers["an unknown proposal"] = await AnswerAsync(() => operatorBackend.GetProposalAsync("p_unknown", Timeout()));
            answers["a writ with an unknown effect"] = await AnswerAsync(() => operatorBackend.IssueWritAsync(new IssueWritParams { Agent = "gamma", Include = ["**"], Effects = ["explode"], LifetimeSeconds = 60 }, Timeout()));
        }

        await using (var agent = await BackendFactory.AgentAsync(location, alpha, Timeout()))
        {
            Assert.Equal(expectSocket, agent is SocketBackend);
            answers["another writ's proposal status"] = await AnswerAsync(() => agent.GetStatusAsync(betaId, Timeout()));
            answers["own proposal status"] = await AnswerAsync(() => agent.GetStatusAsync(renameId, Timeout()));
            answers["a read of .git/config"] = await AnswerAsync(() => agent.ReadFileAsync(".git/config", Timeout()));
            answers["a listing with a bad glob"] = await AnswerAsync(() => agent.ListFilesAsync(new ListFilesParams { Glob = "[" }, Timeout()));
            answers["a listing"] = await AnswerAsync(() => agent.ListFilesAsync(new ListFilesParams(), Timeout()));
            answers["an intent of an unknown kind"] = await AnswerAsync(() => agent.SubmitAsync(Intent(new FileIntentInfo { Kind = "explode", Path = "a.txt" }), Timeout()));
        }

        return answers;
    }

    private static async Task<string> AnswerAsync<T>(Func<Task<T>> question)
    {
        try
        {
            // A timeline page reports the current head, which the first round's refused intent moved on.
            return Regex.Replace(CliJson.Serialize(await question()), "\"headSeq\": [0-9]+", "\"headSeq\": \"the head\"");
        }
        catch (CliException refusal)
        {
            // Each transport adds where the refusal came from ("(sidecar at …" or "(the ledger …"); the rest must match.
            var where = Math.Max(refusal.Message.LastIndexOf(" (sidecar at ", StringComparison.Ordinal), refusal.Message.LastIndexOf(" (the ledger ", StringComparison.Ordinal));
            return $"refused {refusal.ExitCode}: {(where < 0 ? refusal.Message : refusal.Message[..where])}";
        }
    }

    private static SubmitIntentParams Intent(FileIntentInfo file) =>
        new() { Nonce = Guid.NewGuid().ToString("N"), Description = $"{file.Kind} {file.Path}", Files = [file] };
}
