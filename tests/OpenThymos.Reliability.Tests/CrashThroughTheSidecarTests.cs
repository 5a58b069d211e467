// Crash safety through the real sidecar process: approve and revert cycles driven over the agent socket like a
// real agent and reviewer, the sidecar SIGKILLed at random instants (many during an apply), restarted on the same
// workspace, and the invariants checked black-box after every recovery, whatever order the write protocol uses.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Server.Protocol;
using StreamJsonRpc;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class CrashThroughTheSidecarTests(ITestOutputHelper output)
{
    /// <summary>Kills: 300 in CI; THYMOS_CRASH_KILLS=1000 for the full run.</summary>
    private static int Kills =>
        TestSizes.From("THYMOS_CRASH_KILLS", 300);

    /// <summary>Independent workspaces killed side by side: on two cores a sidecar's start-up leaves the other core idle.</summary>
    private static int Lanes =>
        TestSizes.From("THYMOS_CRASH_LANES", 2);

    [Fact]
    public async Task SigkillAtRandomInstantsLosesNoAcknowledgedWorkLeavesEveryFileWholeAndTheLedgerValid()
    {
        // Each seed listed for this test in tests/regression-seeds.txt is a whole run of kills; none is listed, so CI
        // runs one fresh seed, as long as before.
        await TestSeeds.RunAsync("THYMOS_CRASH_SEED", line => output.WriteLine($"crash: {line}"), async seed =>
        {
            var lanes = Lanes;
            output.WriteLine($"crash: seed {seed}, {lanes} workspaces side by side");
            var clock = Stopwatch.StartNew();
            var kills = Kills;
            var results = await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane =>
                Task.Run(() => RunLaneAsync(kills / lanes + (lane < kills % lanes ? 1 : 0), seed + lane))));
            var tally = CrashTally.Sum(results.Select(r => r.Tally));
            var failures = results.SelectMany(r => r.Failures).ToList();

            output.WriteLine($"crash: {tally.Kills} SIGKILLs, {tally.Restarts} restarts with recovery checked, {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"crash: time summed over workspaces: starting sidecars {tally.StartSeconds:F1} s, checking after restarts {tally.CheckSeconds:F1} s, in cycles until the kill {tally.CycleSeconds:F1} s");
            output.WriteLine($"crash: {tally.Cycles} cycles started ({tally.CycleKinds}); {tally.Acknowledged} acknowledged approvals and reverts, each found committed after the next restart");
            output.WriteLine($"crash: {tally.KillsDuringApply} kills with an approval or revert sent and not yet answered: {tally.UnacknowledgedFinished} found committed after restart ({tally.RecoveredCommits} commits marked recovered: the restart finished them), {tally.UnacknowledgedNotApplied} found not applied (files at before)");
            output.WriteLine($"crash: {tally.ExecutionFailures} execution failures recorded by recovery, {tally.FilesChecked} file states checked against the model and the ledger, {tally.PendingRejected} pending proposals rejected after restarts");
            Assert.True(failures.Count == 0, string.Join('\n', failures));
            Assert.Equal(kills, tally.Kills);
            Assert.True(tally.Acknowledged > 0 && tally.KillsDuringApply > 0, "the schedule never acknowledged work or never killed during an apply");
        });
    }

    /// <summary>One workspace, reused across all its kills: start, check, run cycles, SIGKILL, and again.</summary>
    private static async Task<(CrashTally Tally, List<string> Failures)> RunLaneAsync(int kills, int seed)
    {
        using var temp = new TempWorkspace();
        var world = new CrashWorld(temp.Workspace, new Random(seed));
        world.Seed();
        var tally = new CrashTally();
        string? previousToken = null;
        string? agentToken = null;
        Attempt? inFlight = null;
        long checkedThrough = 0;
        var failures = new List<string>();
        for (var life = 0; life <= kills && failures.Count == 0; life++)
        {
            var phase = Stopwatch.StartNew();
            var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory, previousToken);
            try
            {
                previousToken = sidecar.OperatorToken;
                var reviewer = await sidecar.ConnectOperatorAsync();
                tally.StartSeconds += phase.Elapsed.TotalSeconds;
                phase.Restart();
                if (life > 0)
                {
                    // Recovery has run (the sidecar recovers before it serves): check everything the crash could have broken.
                    checkedThrough = await CheckAfterRestartAsync(reviewer, world, inFlight, checkedThrough, tally, failures);
                    inFlight = null;
                    tally.Restarts++;
                }
                if (life == kills || failures.Count > 0)
                {
                    break;
                }
                agentToken ??= (await reviewer.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams
                {
                    Agent = "crash-agent",
                    Include = ["**"],
                    Effects = ["create", "modify", "delete"],
                    LifetimeSeconds = 24 * 3600,
                })).Token;
                var agent = await sidecar.ConnectAgentAsync(agentToken);
                tally.CheckSeconds += phase.Elapsed.TotalSeconds;
                phase.Restart();
                inFlight = await RunCyclesUntilKilledAsync(sidecar, agent, reviewer, world, life, tally);
                tally.CycleSeconds += phase.Elapsed.TotalSeconds;
                tally.Kills++;
            }
            finally
            {
                sidecar.Kill();
                await sidecar.WaitForExitAsync();
                await sidecar.DisposeAsync();
            }
        }
        return (tally, failures);
    }

    /// <summary>Runs approve and revert cycles until the killer fires; returns the operation in flight at the kill, if any.</summary>
    private static async Task<Attempt?> RunCyclesUntilKilledAsync(SidecarProcess sidecar, RpcTestClient agent, RpcTestClient reviewer, CrashWorld world, int life, CrashTally tally)
    {
        var random = world.Random;
        var approveSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Let zero to two approvals be acknowledged first, so acknowledged work is there to lose.
        var approvalsBeforeAim = random.Next(3);
        var approvalsSent = 0;
        // Most kills aim at an apply: a random delay after an approval or revert is sent, up to a little past
        // how long one usually takes, so some land before the approval entry, some between it and the file
        // renames, some after the renames and before the answer. The rest fall anywhere in the life.
        var aimAtApply = random.NextDouble() < 0.75;
        var killDelay = aimAtApply
            ? TimeSpan.FromMilliseconds(random.NextDouble() * Math.Max(20, tally.TypicalApplyMilliseconds * 1.3))
            : TimeSpan.FromMilliseconds(random.NextDouble() * 600);
        var killer = Task.Run(async () =>
        {
            if (aimAtApply)
            {
                await approveSent.Task;
            }
            await Task.Delay(killDelay);
            sidecar.Kill();
        });

        Attempt? current = null;
        try
        {
            for (var cycle = 0; ; cycle++)
            {
                current = null;
                var plan = world.NextPlan(life, cycle);
                tally.Count(plan.Kind);
                if (plan.RevertsSeq is long commitSeq)
                {
                    current = new Attempt(plan.Kind, null, commitSeq, plan.Files);
                    if (approvalsSent++ == approvalsBeforeAim)
                    {
                        approveSent.TrySetResult();
                    }
                    var started = Stopwatch.GetTimestamp();
                    var reverted = await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.LedgerRevertCommit, new RevertCommitParams { Seq = commitSeq, Reason = "crash harness revert" });
                    Expect(reverted.Outcome == "committed", $"revert of {commitSeq} answered '{reverted.Outcome}': {reverted.Message}");
                    tally.ObserveApply(Stopwatch.GetElapsedTime(started));
                    current.Acknowledged = true;
                    tally.Acknowledged++;
                    world.Resolve(current, committed: true, reverted.CommitSeq);
                    continue;
                }

                var submitted = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams
                {
                    Nonce = $"crash-{life}-{cycle}",
                    Description = $"{plan.Kind} in life {life}, cycle {cycle}",
                    Files = plan.Intents,
                });
                Expect(submitted.Outcome == "staged", $"submit answered '{submitted.Outcome}': {submitted.Message}");
                current = new Attempt(plan.Kind, submitted.ProposalId, null, plan.Files);
                if (approvalsSent++ == approvalsBeforeAim)
                {
                    approveSent.TrySetResult();
                }
                var approveStarted = Stopwatch.GetTimestamp();
                var approved = await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = submitted.ProposalId, Revision = 1 });
                Expect(approved.Outcome == "committed", $"approve of {submitted.ProposalId} answered '{approved.Outcome}': {approved.Message}");
                tally.ObserveApply(Stopwatch.GetElapsedTime(approveStarted));
                current.Acknowledged = true;
                tally.Acknowledged++;
                world.Resolve(current, committed: true, approved.CommitSeq);
            }
        }
        catch (Exception exception) when (IsLostConnection(exception) || sidecar.HasExited)
        {
            // The kill: whatever was in flight is judged after the restart.
        }
        await killer;
        if (current is { Acknowledged: false } && current.ProposalId is null && current.RevertsSeq is null)
        {
            return null;
        }
        if (current is { Acknowledged: false })
        {
            tally.KillsDuringApply++;
            return current;
        }
        return null;
    }

    /// <summary>
    /// Checks a restarted sidecar: verify intact, no drift, the interrupted operation either fully applied with its
    /// commit or not applied at all, every acknowledged operation committed, every tracked file at its expected state
    /// and that state's hash the one the ledger recorded, and no commit the harness cannot account for.
    /// </summary>
    private static async Task<long> CheckAfterRestartAsync(RpcTestClient reviewer, CrashWorld world, Attempt? interrupted, long checkedThrough, CrashTally tally, List<string> failures)
    {
        var verify = await reviewer.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams());
        if (!verify.Valid)
        {
            failures.Add($"after kill {tally.Kills}: verify failed: {string.Join("; ", verify.Problems.Select(p => $"{p.Seq} {p.Code}: {p.Message}"))}");
        }

        var newEntries = await EntriesAfterAsync(reviewer, checkedThrough);
        var commits = newEntries.Where(e => e.Kind is "commit" or "revert").ToList();
        tally.ExecutionFailures += newEntries.Count(e => e.Kind == "execution.failed");

        // Every commit or revert the ledger gained since the last check must be one the harness asked for.
        var accounted = new HashSet<long>(world.TakeAcknowledgedCommitSeqs());
        var interruptedCommit = default(EntrySummary);
        foreach (var entry in commits)
        {
            if (accounted.Remove(entry.Seq))
            {
                continue;
            }
            var matchesInterrupted = interrupted is not null && (interrupted.ProposalId is not null
                ? entry.Kind == "commit" && entry.ProposalId == interrupted.ProposalId
                : entry.Kind == "revert" && await RevertedSeqAsync(reviewer, entry.Seq) == interrupted.RevertsSeq);
            if (matchesInterrupted && interruptedCommit is null)
            {
                interruptedCommit = entry;
                continue;
            }
            failures.Add($"after kill {tally.Kills}: {entry.Kind} {entry.Seq} ({entry.ProposalId}) was recorded for nothing the harness approved");
        }
        foreach (var lost in accounted)
        {
            failures.Add($"after kill {tally.Kills}: acknowledged commit {lost} is not in the ledger");
        }

        if (interrupted is not null)
        {
            var committed = interruptedCommit is not null;
            if (committed)
            {
                tally.UnacknowledgedFinished++;
                var payload = (await reviewer.CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = interruptedCommit!.Seq })).Payload;
                if (payload.TryGetProperty("recovered", out var recovered) && recovered.ValueKind == JsonValueKind.True)
                {
                    tally.RecoveredCommits++;
                }
            }
            else
            {
                tally.UnacknowledgedNotApplied++;
            }
            world.Resolve(interrupted, committed, interruptedCommit?.Seq);
        }

        // Every touched file is whole and at the state the ledger says: compare with the model, and for the files of
        // the newest commits with the hashes the commit recorded.
        foreach (var problem in world.CompareDiskWithModel())
        {
            failures.Add($"after kill {tally.Kills}: {problem}");
        }
        tally.FilesChecked += world.TrackedFileCount;
        foreach (var entry in commits)
        {
            var payload = (await reviewer.CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = entry.Seq })).Payload;
            foreach (var file in payload.GetProperty("files").EnumerateArray())
            {
                var path = file.GetProperty("path").GetString()!;
                var after = file.GetProperty("after").ValueKind == JsonValueKind.Null ? null : file.GetProperty("after").GetString();
                if (world.IsUnchangedSince(path, entry.Seq) && world.HashOnDisk(path) != after)
                {
                    failures.Add($"after kill {tally.Kills}: '{path}' hashes to {world.HashOnDisk(path) ?? "absent"}, but {entry.Kind} {entry.Seq} recorded {after ?? "absent"}");
                }
            }
        }

        var drift = await reviewer.CallAsync<DriftResultInfo>(ProtocolMethods.LedgerGetDrift, new LedgerWorkParams());
        foreach (var item in drift.Items)
        {
            failures.Add($"after kill {tally.Kills}: drift on '{item.Path}' ({item.Kind}): expected {item.Expected}, found {item.Actual}");
        }

        // Proposals left pending by a kill before their approval are rejected, so the next cycles start from a settled tree.
        var pending = await reviewer.CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, new ListProposalsParams { Statuses = ["pending"] });
        foreach (var proposal in pending.Proposals)
        {
            await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalReject, new RejectProposalParams { ProposalId = proposal.ProposalId, Revision = proposal.Revision, Reason = "left pending by a crash" });
            tally.PendingRejected++;
        }

        var head = await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 1 });
        return head.HeadSeq;
    }

    private static async Task<long?> RevertedSeqAsync(RpcTestClient reviewer, long seq)
    {
        var payload = (await reviewer.CallAsync<GetEntryResult>(ProtocolMethods.LedgerGetEntry, new GetEntryParams { Seq = seq })).Payload;
        return payload.TryGetProperty("reverts", out var reverts) ? reverts.GetInt64() : null;
    }

    private static async Task<List<EntrySummary>> EntriesAfterAsync(RpcTestClient reviewer, long afterSeq)
    {
        var found = new List<EntrySummary>();
        long? before = null;
        while (true)
        {
            var page = await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { BeforeSeq = before, Limit = 200 });
            found.AddRange(page.Entries.Where(e => e.Seq > afterSeq));
            if (page.NextBeforeSeq is null || page.Entries.Count == 0 || page.Entries.Min(e => e.Seq) <= afterSeq + 1)
            {
                break;
            }
            before = page.NextBeforeSeq;
        }
        return [.. found.OrderBy(e => e.Seq)];
    }

    private static bool IsLostConnection(Exception exception) =>
        exception is ConnectionLostException or ObjectDisposedException or IOException or TimeoutException
        || (exception is AggregateException aggregate && aggregate.InnerExceptions.All(IsLostConnection));

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary>One approval or revert the harness sent, with the before and after content of each file.</summary>
    internal sealed class Attempt(string kind, string? proposalId, long? revertsSeq, IReadOnlyList<FileChange> files)
    {
        public string Kind { get; } = kind;

        public string? ProposalId { get; } = proposalId;

        public long? RevertsSeq { get; } = revertsSeq;

        public IReadOnlyList<FileChange> Files { get; } = files;

        public bool Acknowledged { get; set; }
    }

    /// <summary>A file an operation changes: its exact bytes before and after (null: absent).</summary>
    internal sealed record FileChange(string Path, byte[]? Before, byte[]? After);

    /// <summary>What one cycle will do.</summary>
    internal sealed record CyclePlan(string Kind, IReadOnlyList<FileIntentInfo> Intents, IReadOnlyList<FileChange> Files, long? RevertsSeq);

    /// <summary>The figures printed at the end.</summary>
    private sealed class CrashTally
    {
        private readonly SortedDictionary<string, int> _kinds = new(StringComparer.Ordinal);
        private readonly Queue<double> _recentApplies = new();

        public int Kills { get; set; }

        public double StartSeconds { get; set; }

        public double CheckSeconds { get; set; }

        public double CycleSeconds { get; set; }

        public int Restarts { get; set; }

        public int Cycles { get; set; }

        public int Acknowledged { get; set; }

        public int KillsDuringApply { get; set; }

        public int UnacknowledgedFinished { get; set; }

        public int UnacknowledgedNotApplied { get; set; }

        public int RecoveredCommits { get; set; }

        public int ExecutionFailures { get; set; }

        public long FilesChecked { get; set; }

        public int PendingRejected { get; set; }

        public double TypicalApplyMilliseconds => _recentApplies.Count == 0 ? 150 : _recentApplies.Order().ElementAt(_recentApplies.Count / 2);

        public static CrashTally Sum(IEnumerable<CrashTally> tallies)
        {
            var sum = new CrashTally();
            foreach (var t in tallies)
            {
                sum.Kills += t.Kills;
                sum.Restarts += t.Restarts;
                sum.StartSeconds += t.StartSeconds;
                sum.CheckSeconds += t.CheckSeconds;
                sum.CycleSeconds += t.CycleSeconds;
                sum.Cycles += t.Cycles;
                sum.Acknowledged += t.Acknowledged;
                sum.KillsDuringApply += t.KillsDuringApply;
                sum.UnacknowledgedFinished += t.UnacknowledgedFinished;
                sum.UnacknowledgedNotApplied += t.UnacknowledgedNotApplied;
                sum.RecoveredCommits += t.RecoveredCommits;
                sum.ExecutionFailures += t.ExecutionFailures;
                sum.FilesChecked += t.FilesChecked;
                sum.PendingRejected += t.PendingRejected;
                foreach (var (kind, count) in t._kinds)
                {
                    sum._kinds[kind] = sum._kinds.GetValueOrDefault(kind) + count;
                }
            }
            return sum;
        }

        public string CycleKinds => string.Join(", ", _kinds.Select(k => $"{k.Key} {k.Value}"));

        public void Count(string kind)
        {
            Cycles++;
            _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
        }

        public void ObserveApply(TimeSpan elapsed)
        {
            _recentApplies.Enqueue(elapsed.TotalMilliseconds);
            if (_recentApplies.Count > 50)
            {
                _recentApplies.Dequeue();
            }
        }
    }

    /// <summary>
    /// The harness's model of the workspace: the exact bytes every tracked file must have, updated only from
    /// acknowledgements and from what the ledger shows after a restart. Plans the next cycle from it.
    /// </summary>
    private sealed class CrashWorld(string workspace, Random random)
    {
        private const int SmallFiles = 6;
        private const int BigVariants = 3;
        private const int BigLines = 24_000;
        private readonly Dictionary<string, byte[]?> _model = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _lastChangedAt = new(StringComparer.Ordinal);
        private readonly List<long> _acknowledgedCommitSeqs = [];
        private readonly byte[][] _bigVariants = [.. Enumerable.Range(0, BigVariants).Select(BigText)];
        private int _created;
        private (long Seq, IReadOnlyList<FileChange> Files)? _revertible;

        public Random Random { get; } = random;

        public int TrackedFileCount => _model.Count;

        /// <summary>Lays the starting files directly on disk (the agent's first proposals modify them).</summary>
        public void Seed()
        {
            for (var i = 0; i < SmallFiles; i++)
            {
                Put($"src/small{i}.txt", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 12).Select(l => $"small {i} line {l}\n"))));
            }
            Put("big/data.txt", _bigVariants[0]);
            Put("big/other.txt", _bigVariants[1]);

            void Put(string path, byte[] bytes)
            {
                var full = Path.Combine(workspace, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, bytes);
                _model[path] = bytes;
            }
        }

        public CyclePlan NextPlan(int life, int cycle)
        {
            if (_revertible is { } last && Random.NextDouble() < 0.3)
            {
                _revertible = null;
                return new CyclePlan("revert", [], [.. last.Files.Select(f => new FileChange(f.Path, f.After, f.Before))], last.Seq);
            }
            var roll = Random.NextDouble();
            if (roll < 0.35)
            {
                var path = $"src/small{Random.Next(SmallFiles)}.txt";
                var after = ChangeOneLine(_model[path]!, $"edited in life {life} cycle {cycle}");
                return Modify("single-hunk", [(path, after)]);
            }
            if (roll < 0.55)
            {
                var path = Random.Next(2) == 0 ? "big/data.txt" : "big/other.txt";
                var current = _model[path]!;
                var next = _bigVariants.Where(v => !v.AsSpan().SequenceEqual(current)).ElementAt(Random.Next(BigVariants - 1));
                return Modify("large-file", [(path, next)]);
            }

            // Multi-file: two modified, one or two created, and one deleted when there is one to delete.
            var changes = new List<(string Path, byte[]? After)>();
            foreach (var i in Enumerable.Range(0, SmallFiles).OrderBy(_ => Random.Next()).Take(2))
            {
                var path = $"src/small{i}.txt";
                changes.Add((path, ChangeOneLine(_model[path]!, $"multi in life {life} cycle {cycle}")));
            }
            for (var c = 0; c < 1 + Random.Next(2); c++)
            {
                changes.Add(($"made/file{_created++}.txt", Encoding.UTF8.GetBytes($"created in life {life} cycle {cycle}\n" + new string('x', Random.Next(50_000)) + "\n")));
            }
            var deletable = _model.Where(f => f.Key.StartsWith("made/", StringComparison.Ordinal) && f.Value is not null).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
            if (deletable.Count > 0)
            {
                changes.Add((deletable[Random.Next(deletable.Count)], null));
            }
            return Modify("multi-file", changes);
        }

        private CyclePlan Modify(string kind, IReadOnlyList<(string Path, byte[]? After)> changes)
        {
            var intents = new List<FileIntentInfo>();
            var files = new List<FileChange>();
            foreach (var (path, after) in changes)
            {
                var before = _model.GetValueOrDefault(path);
                files.Add(new FileChange(path, before, after));
                intents.Add(after is null
                    ? new FileIntentInfo { Kind = "delete", Path = path, BaseHash = Hash(before) }
                    : before is null
                        ? new FileIntentInfo { Kind = "create", Path = path, Content = Encoding.UTF8.GetString(after) }
                        : new FileIntentInfo { Kind = "modify", Path = path, BaseHash = Hash(before), Content = Encoding.UTF8.GetString(after) });
            }
            return new CyclePlan(kind, intents, files, null);
        }

        /// <summary>Records the outcome of an operation: committed moves the model to the after states.</summary>
        public void Resolve(Attempt attempt, bool committed, long? commitSeq)
        {
            _revertible = null;
            if (!committed)
            {
                return;
            }
            foreach (var file in attempt.Files)
            {
                _model[file.Path] = file.After;
                _lastChangedAt[file.Path] = commitSeq ?? long.MaxValue;
            }
            if (attempt.Acknowledged && commitSeq is long seq)
            {
                _acknowledgedCommitSeqs.Add(seq);
            }
            if (attempt.ProposalId is not null && commitSeq is long revertible)
            {
                _revertible = (revertible, attempt.Files);
            }
        }

        public IReadOnlyList<long> TakeAcknowledgedCommitSeqs()
        {
            var taken = _acknowledgedCommitSeqs.ToList();
            _acknowledgedCommitSeqs.Clear();
            return taken;
        }

        /// <summary>True when no commit after <paramref name="seq"/> changed the file, so its disk state is the one that commit recorded.</summary>
        public bool IsUnchangedSince(string path, long seq) => _lastChangedAt.GetValueOrDefault(path) <= seq;

        public string? HashOnDisk(string path)
        {
            var full = Path.Combine(workspace, path);
            return File.Exists(full) ? ContentHash.Of(File.ReadAllBytes(full)).ToString() : null;
        }

        public IEnumerable<string> CompareDiskWithModel()
        {
            foreach (var (path, expected) in _model)
            {
                var full = Path.Combine(workspace, path);
                var actual = File.Exists(full) ? File.ReadAllBytes(full) : null;
                if (expected is null && actual is not null)
                {
                    yield return $"'{path}' exists ({actual.Length} bytes) but must be absent";
                }
                else if (expected is not null && actual is null)
                {
                    yield return $"'{path}' is missing but must hold {expected.Length} bytes";
                }
                else if (expected is not null && !expected.AsSpan().SequenceEqual(actual))
                {
                    yield return $"'{path}' holds {actual!.Length} bytes hashing to {Hash(actual)[..12]}, neither before nor after: expected {expected.Length} bytes hashing to {Hash(expected)[..12]}";
                }
            }
            // Nothing written that no operation names: no stray files beside the tracked ones (temp files included).
            foreach (var full in Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(workspace, full).Replace('\\', '/');
                if (!relative.StartsWith(".thymos/", StringComparison.Ordinal) && !_model.ContainsKey(relative))
                {
                    yield return $"'{relative}' exists but no operation created it";
                }
            }
        }

        private byte[] ChangeOneLine(byte[] current, string text)
        {
            var lines = Encoding.UTF8.GetString(current).Split('\n');
            lines[Random.Next(lines.Length - 1)] = text;
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }

        private static byte[] BigText(int variant)
        {
            var builder = new StringBuilder(BigLines * 64);
            for (var line = 0; line < BigLines; line++)
            {
                // Each variant differs from the others in a band of lines, so a change is a few hunks in a 1.5 MB file.
                var changed = line % 4_000 < 40 ? $" variant {variant}" : "";
                builder.Append(CultureInfo.InvariantCulture, $"{line:D6} the quick brown fox jumps over the lazy dog{changed}\n");
            }
            return Encoding.UTF8.GetBytes(builder.ToString());
        }

        private static string Hash(byte[]? bytes) => bytes is null ? "" : ContentHash.Of(bytes).ToString();
    }
}
