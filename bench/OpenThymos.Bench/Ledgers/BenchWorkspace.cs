// A real workspace with a real runtime and LiteDB ledger in the scratch folder, and an agent session.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Writs;

namespace OpenThymos.Bench.Ledgers;

/// <summary>The same runtime the sidecar runs, opened on a folder of the measured disk.</summary>
internal sealed class BenchWorkspace : IDisposable
{
    private int _nonce;

    private BenchWorkspace(string root)
    {
        Root = root;
        WorkspaceRoot = Path.Combine(root, "workspace");
        KeyDirectory = Path.Combine(root, "keys");
        Directory.CreateDirectory(WorkspaceRoot);
        Directory.CreateDirectory(KeyDirectory);
    }

    public string Root { get; }

    public string WorkspaceRoot { get; }

    public string KeyDirectory { get; }

    public string LedgerPath => LedgerOptions.DefaultLedgerPath(WorkspaceRoot);

    public ThymosRuntime? Runtime { get; private set; }

    public AgentSession? Session { get; private set; }

    /// <summary>What the workspace's ledger store spends on durability (the approve suite's write-cost breakdown).</summary>
    internal LiteDbStoreMeter Meter { get; } = new();

    /// <summary>Where the runtime's approvals spend their time and how long its operations hold its lock (the approve and throughput suites).</summary>
    internal RuntimeStepMeter Steps { get; } = new();

    public LedgerOptions LedgerOptions => new() { WorkspaceRoot = WorkspaceRoot, StoreFactory = LiteDbLedgerStoreFactory.Metered(Meter), KeyDirectory = KeyDirectory, HolderDescription = "OpenThymos bench" };

    /// <summary>Creates the folders without opening anything.</summary>
    public static BenchWorkspace Create(string root) => new(root);

    /// <summary>Creates the folders, opens the runtime and grants an agent a writ over everything.</summary>
    public static BenchWorkspace Open(string root)
    {
        var workspace = new BenchWorkspace(root);
        workspace.OpenRuntime();
        return workspace;
    }

    public void OpenRuntime()
    {
        Runtime = ThymosRuntime.Open(new RuntimeOptions { Ledger = LedgerOptions, Meter = Steps });
        Session = Grant("bench-agent");
    }

    public AgentSession Grant(string agent)
    {
        var (issued, error) = RuntimeOrThrow.IssueWrit(
            new WritRequest(agent, "bench-" + agent, ["**"], null, Effects.All, null, TimeSpan.FromHours(8)), "human:bench");
        if (error is not null)
        {
            throw new InvalidOperationException($"Could not grant the bench agent a writ: {error.Message}");
        }

        var (session, sessionError) = RuntimeOrThrow.OpenSession(issued!.Token);
        return session ?? throw new InvalidOperationException($"Could not open the bench agent's session: {sessionError!.Message}");
    }

    public void CloseRuntime()
    {
        Runtime?.Dispose();
        Runtime = null;
    }

    public void Write(string path, string text) => File.WriteAllText(Path.Combine(WorkspaceRoot, path), text);

    public string HashOf(string path) => ContentHash.Of(File.ReadAllBytes(Path.Combine(WorkspaceRoot, path))).ToString();

    /// <summary>Stages a one-hunk edit of <paramref name="path"/> and returns the proposal id.</summary>
    public string StageEdit(string path, string search, string replace, AgentSession? session = null)
    {
        var intent = new Intent("n" + Interlocked.Increment(ref _nonce), "bench edit",
            [new FileIntent(FileIntentKind.Modify, path, BaseHash: HashOf(path), Edits: [new OpenThymos.Core.Text.SearchReplaceBlock(search, replace)])]);
        return Staged(RuntimeOrThrow.Submit(session ?? Session!, intent));
    }

    /// <summary>Stages whole-file changes (create, modify or delete) and returns the proposal id.</summary>
    public string StageFiles(IReadOnlyList<FileIntent> files, AgentSession? session = null) =>
        Staged(RuntimeOrThrow.Submit(session ?? Session!, new Intent("n" + Interlocked.Increment(ref _nonce), "bench change", files)));

    /// <summary>Approves every hunk and returns the commit seq once the commit is durable.</summary>
    public long ApproveAll(string proposalId)
    {
        var proposal = RuntimeOrThrow.GetProposal(proposalId)!;
        var result = RuntimeOrThrow.Approve(new ApproveRequest(proposalId, proposal.Revision, "human:bench", HunkSelection.All));
        return result.Outcome == DecisionOutcome.Committed && result.CommitSeq is long seq
            ? seq
            : throw new InvalidOperationException($"Approving {proposalId} gave {result.Outcome}: {result.Error?.Message}");
    }

    /// <summary>The number of entries in the ledger file, read without taking the writer lock.</summary>
    public long LedgerEntryCount()
    {
        using var store = LedgerStores.Default.OpenReadOnly(LedgerPath);
        return store.MaxSeq();
    }

    public void Dispose() => CloseRuntime();

    private ThymosRuntime RuntimeOrThrow => Runtime ?? throw new InvalidOperationException("The bench runtime is not open.");

    private static string Staged(SubmitResult result) =>
        result.Outcome == SubmitOutcome.Staged
            ? result.ProposalId!
            : throw new InvalidOperationException($"The bench intent was not staged ({result.Outcome}): {result.Error?.Message}");
}
