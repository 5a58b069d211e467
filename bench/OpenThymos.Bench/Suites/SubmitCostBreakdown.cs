// Where a submission spends its time: each step of compiling and staging one intent, timed alone.
using System.Globalization;
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Ledgers;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Text;
using OpenThymos.Core.Writs;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Times, one at a time and on one thread, every step <see cref="ThymosRuntime.Submit"/> performs for
/// the throughput suite's one-hunk intent, on the workspace the suite just used (so the pending-proposal
/// lookups see as many pending proposals as the agents left), and says which steps run under the
/// runtime's lock. The lock hold per submission measured during the run is the figure these explain.
/// </summary>
internal static class SubmitCostBreakdown
{
    public static ResultTable Measure(BenchWorkspace workspace, string path, string search, string replace, AgentSession session, LockHoldStatistics holds, int iterations)
    {
        var runtime = workspace.Runtime!;
        var compiler = new IntentCompiler(workspace.WorkspaceRoot);
        var file = new FileIntent(FileIntentKind.Modify, path, BaseHash: workspace.HashOf(path), Edits: [new SearchReplaceBlock(search, replace)]);
        var compiled = compiler.Compile(file).File ?? throw new InvalidOperationException($"The bench intent for '{path}' does not compile.");
        var policy = WorkspacePolicy.Load(workspace.WorkspaceRoot);
        var writ = runtime.State.Writs[session.WritId];
        var head = runtime.Ledger.Head;
        var stagedEntry = head.Kind == EntryKind.ProposalStaged ? head : throw new InvalidOperationException("The throughput run left no proposal.staged entry at the head.");
        var staged = WorkspaceLedger.Deserialize(stagedEntry, LedgerJsonContext.Default.ProposalStagedPayload);
        var pending = runtime.State.Proposals.Count(p => p.Value.IsPending);
        var digest = IntentSubmission.IntentDigest(session.Agent, [compiled]);
        var now = DateTimeOffset.UtcNow;
        var steps = new (string Name, bool UnderLockNow, Action Step)[]
        {
            ("load the workspace policy (WorkspacePolicy.Load; under the lock only its hash is compared now)", false, () => WorkspacePolicy.Load(workspace.WorkspaceRoot)),
            ("compile the file intent: read, hash, apply the edit, diff, hunks (IntentCompiler.Compile)", false, () => compiler.Compile(file)),
            ("intent digest (canonical JSON + hash)", false, () => IntentSubmission.IntentDigest(session.Agent, [compiled])),
            ($"nonce and pending-duplicate lookups ({pending:N0} proposals pending)", true, () => GC.KeepAlive((runtime.State.NonceUse(writ.Id, "bench-fresh-nonce"), runtime.State.PendingDuplicate(session.Agent, digest)))),
            ("writ authority and budget (WritAuthority.Check)", true, () => WritAuthority.Check(writ.Writ, [], writ.Usage, path, Effects.Modify, compiled.AddedBytes, now)),
            ("policy evaluation (PolicyEvaluator.Evaluate)", false, () => PolicyEvaluator.Evaluate(policy, compiled.PolicyChanges)),
            ("serialize the proposal.staged payload to canonical JSON", false, () => WorkspaceLedger.Serialize(staged, LedgerJsonContext.Default.ProposalStagedPayload)),
            ("chain the entry (LedgerEntry.Create: encoding + BLAKE3)", true, () => LedgerEntry.Create(stagedEntry.Seq, stagedEntry.Kind, stagedEntry.Parent, stagedEntry.Time.ToUnixTimeMilliseconds(), stagedEntry.Actor, stagedEntry.Payload)),
            ("deserialize the staged payload (once to fold it; before this change also once more to name the changed proposal)", true, () => WorkspaceLedger.Deserialize(stagedEntry, LedgerJsonContext.Default.ProposalStagedPayload)),
        };

        var table = new ResultTable($"Where a submission spends its time (one-hunk intent, warm, one thread, {iterations:N0} calls per step)", "",
            "step", "µs per submission", "under the runtime's lock");
        foreach (var (name, underLock, step) in steps)
        {
            for (var index = 0; index < Math.Min(200, iterations); index++)
            {
                step();
            }

            var seconds = Harness.Measure.Seconds(() =>
            {
                for (var index = 0; index < iterations; index++)
                {
                    step();
                }
            });
            table.Add(name, Micro(seconds / iterations * 1e6), underLock ? "yes" : "no (done before taking the lock)");
        }

        table.Note($"Measured during the run: the runtime's lock was taken {holds.Holds:N0} times and held {Micro(holds.MeanMicroseconds)} µs per operation on average "
            + $"({holds.Held.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s in total); with every agent queued on it, one hold after another, that caps the rate near {ResultTable.Rate(holds.MeanMicroseconds > 0 ? 1e6 / holds.MeanMicroseconds : 0)} submissions/s.");
        return table;
    }

    private static string Micro(double microseconds) => microseconds.ToString("0.0", CultureInfo.InvariantCulture);
}
