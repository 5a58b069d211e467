// A real runtime over a real LiteDB ledger in a temp workspace, with helpers that keep tests short.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Support;

/// <summary>Opens <see cref="ThymosRuntime"/> on a <see cref="TempWorkspace"/> and grants a default writ.</summary>
public sealed class RuntimeHarness : IDisposable
{
    private int _nonce;

    public RuntimeHarness(TimeProvider? clock = null, string? policyJson = null)
    {
        Workspace = new TempWorkspace();
        Clock = clock;
        if (policyJson is not null)
        {
            Workspace.Write(".thymos/policy.json", policyJson);
        }

        Runtime = ThymosRuntime.Open(new RuntimeOptions { Ledger = Workspace.Options(clock), Meter = Probe });
        Session = Grant(["**"]);
    }

    public TempWorkspace Workspace { get; }

    public TimeProvider? Clock { get; }

    public ThymosRuntime Runtime { get; private set; }

    /// <summary>The runtime's meter, through which a test holds, fails or overtakes an operation at a step; a restarted runtime gets a new one with no hooks set.</summary>
    public RuntimeProbe Probe { get; private set; } = new();

    public AgentSession Session { get; private set; }

    public AgentSession Grant(IReadOnlyList<string> include, IReadOnlyList<string>? exclude = null, Effects effects = Effects.All, WritBudget? budget = null, TimeSpan? lifetime = null, string agent = "test-agent")
    {
        var (issued, error) = Runtime.IssueWrit(new WritRequest(agent, "session-" + Guid.NewGuid().ToString("N")[..6], include, exclude, effects, budget, lifetime ?? TimeSpan.FromHours(1)), "human:tester");
        Assert.Null(error);
        var (session, sessionError) = Runtime.OpenSession(issued!.Token);
        Assert.Null(sessionError);
        return session!;
    }

    /// <summary>Adopts .thymos/policy.json as it is on disk, as a human reviewer would after reading it.</summary>
    public void AdoptPolicyOnDisk(string actor = "human:tester")
    {
        var status = Runtime.GetPolicyStatus();
        Assert.True(status.DiskHash is not null, $"the policy file on disk is already in force or does not load: {status.Notice}");
        var (_, error) = Runtime.AdoptPolicy(status.DiskHash!, actor);
        Assert.Null(error);
    }

    public static string Hash(byte[] bytes) => ContentHash.Of(bytes).ToString();

    public string HashOf(string path) => Hash(Workspace.Read(path));

    public string NextNonce() => "n" + Interlocked.Increment(ref _nonce);

    public SubmitResult Submit(params FileIntent[] files) => Submit(Session, files);

    public SubmitResult Submit(AgentSession session, params FileIntent[] files) =>
        Runtime.Submit(session, new Intent(NextNonce(), "test change", files));

    public string Stage(params FileIntent[] files)
    {
        var result = Submit(files);
        Assert.True(result.Outcome == SubmitOutcome.Staged, $"expected a staged proposal, got {result.Outcome}: {result.Error}");
        return result.ProposalId!;
    }

    public FileIntent Modify(string path, string content) => new(FileIntentKind.Modify, path, BaseHash: HashOf(path), Content: content);

    public FileIntent Edit(string path, string search, string replace) =>
        new(FileIntentKind.Modify, path, BaseHash: HashOf(path), Edits: [new OpenThymos.Core.Text.SearchReplaceBlock(search, replace)]);

    public static FileIntent Create(string path, string content) => new(FileIntentKind.Create, path, Content: content);

    public DecisionResult ApproveAll(string proposalId, IReadOnlyList<Amendment>? amendments = null)
    {
        var proposal = Runtime.GetProposal(proposalId)!;
        return Runtime.Approve(new ApproveRequest(proposalId, proposal.Revision, "human:tester", HunkSelection.All, amendments));
    }

    public DecisionResult Approve(string proposalId, params string[] hunkKeys)
    {
        var proposal = Runtime.GetProposal(proposalId)!;
        return Runtime.Approve(new ApproveRequest(proposalId, proposal.Revision, "human:tester", new HunkSelection(Hunks: hunkKeys)));
    }

    public DecisionResult Reject(string proposalId, params string[] hunkKeys)
    {
        var proposal = Runtime.GetProposal(proposalId)!;
        return Runtime.Reject(new RejectRequest(proposalId, proposal.Revision, "human:tester", new HunkSelection(Hunks: hunkKeys), "not wanted"));
    }

    public IReadOnlyList<LedgerEntry> Entries(string kind) => [.. Runtime.Ledger.Read().Where(e => e.Kind == kind)];

    /// <summary>Closes and reopens the runtime, as a restart would.</summary>
    public void Restart()
    {
        Runtime.Dispose();
        Probe = new RuntimeProbe();
        Runtime = ThymosRuntime.Open(new RuntimeOptions { Ledger = Workspace.Options(Clock), Meter = Probe });
    }

    public void Dispose()
    {
        Runtime.Dispose();
        Workspace.Dispose();
    }
}
