// Runs approve cycles on a workspace until killed, printing one line per acknowledged commit.
// Usage: OpenThymos.CrashHarness <workspace> <key-directory> [seed]   (the seed, 0 by default, chooses the file sizes; CrashRecoveryTests passes one)
//        OpenThymos.CrashHarness hold <workspace> <key-directory>   (holds the ledger until stdin closes)
//        OpenThymos.CrashHarness append <workspace> <key-directory> <count>   (prints "ack N" after each durable append)
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Storage;
using OpenThymos.Core.Writs;

if (args[0] == "hold")
{
    using var held = WorkspaceLedger.Open(new LedgerOptions { WorkspaceRoot = args[1], StoreFactory = LedgerStores.Default, KeyDirectory = args[2], HolderDescription = "lock-holder test process" });
    Console.WriteLine("holding");
    Console.In.ReadToEnd();
    return 0;
}

if (args[0] == "append")
{
    using var ledger = WorkspaceLedger.Open(new LedgerOptions { WorkspaceRoot = args[1], StoreFactory = LedgerStores.Default, KeyDirectory = args[2], HolderDescription = "append test process" });
    var count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
    for (var i = 1; i <= count; i++)
    {
        ledger.Append(EntryKind.ExternalChangeObserved, "runtime", new OpenThymos.Core.Ledger.Payloads.ExternalChangeObservedPayload($"f{i}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload);
        Console.Out.Write($"ack {i}\n");
        Console.Out.Flush();
    }

    return 0;
}

var workspace = args[0];
var keyDirectory = args[1];
var tokenPath = Path.Combine(keyDirectory, "crash-harness.token");
using var runtime = ThymosRuntime.Open(new RuntimeOptions
{
    Ledger = new LedgerOptions { WorkspaceRoot = workspace, StoreFactory = LedgerStores.Default, KeyDirectory = keyDirectory, HolderDescription = "crash harness" },
});

AgentSession? session = null;
if (File.Exists(tokenPath))
{
    session = runtime.OpenSession(File.ReadAllText(tokenPath)).Session;
}

if (session is null)
{
    var (issued, error) = runtime.IssueWrit(new WritRequest("crash-agent", "crash", ["**"], null, Effects.All, null, TimeSpan.FromDays(1)), "human:crash-test");
    if (error is not null)
    {
        Console.Error.WriteLine(error);
        return 2;
    }

    File.WriteAllText(tokenPath, issued!.Token);
    session = runtime.OpenSession(issued.Token).Session!;
}

Console.WriteLine("ready");
var seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
var random = new Random(seed);
for (var cycle = 0; ; cycle++)
{
    // Two files change together in one proposal, so recovery must keep multi-file applies whole.
    var stamp = $"{Environment.ProcessId}-{cycle}";
    var files = new List<FileIntent>();
    foreach (var name in new[] { "a.txt", "b.txt" })
    {
        var path = Path.Combine(workspace, name);
        var padding = new string('x', random.Next(0, 16 * 1024));
        var content = $"stamp {stamp}\n{padding}\n";
        files.Add(File.Exists(path)
            ? new FileIntent(FileIntentKind.Modify, name, BaseHash: runtime.ReadFile(name).Hash, Content: content)
            : new FileIntent(FileIntentKind.Create, name, Content: content));
    }

    var submitted = runtime.Submit(session, new Intent(stamp, "crash cycle", files));
    if (submitted.ProposalId is null)
    {
        Console.Error.WriteLine($"submit refused: {submitted.Error}");
        return 3;
    }

    var decision = runtime.Approve(new ApproveRequest(submitted.ProposalId, 1, "human:crash-test", HunkSelection.All));
    if (decision.Outcome != DecisionOutcome.Committed)
    {
        Console.Error.WriteLine($"approve did not commit: {decision.Outcome} {decision.Error}");
        return 4;
    }

    Console.WriteLine($"committed {stamp} {decision.CommitSeq}");
}
