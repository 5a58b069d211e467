// Load against the real sidecar process: ten agents submitting at once while a reviewer approves and rejects,
// then a second sidecar on the same folder. Latencies are printed, never asserted (speed belongs in bench/).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Agents = 10;

    /// <summary>Proposals per agent: 50 in CI (about 30-60 s on a shared 2-core machine); THYMOS_LOAD_PROPOSALS=1000 for the full run.</summary>
    private static int ProposalsPerAgent =>
        TestSizes.From("THYMOS_LOAD_PROPOSALS", 50);

    [Fact]
    public async Task TenConcurrentAgentsAndAReviewerLoseNothingAndTheLedgerStaysContiguousAndValid()
    {
        using var temp = new TempWorkspace();
        await File.WriteAllTextAsync(Path.Combine(temp.Workspace, "README.md"), "load test\n");
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var reviewer = await sidecar.ConnectOperatorAsync();
        var perAgent = ProposalsPerAgent;
        var agents = new List<RpcTestClient>();
        for (var i = 0; i < Agents; i++)
        {
            var issued = await reviewer.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = $"agent-{i}", Include = [$"agent-{i}/**"], Effects = ["create"], LifetimeSeconds = 3600 });
            agents.Add(await sidecar.ConnectAgentAsync(issued.Token));
        }
        var headBefore = (await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 1 })).HeadSeq;

        var submitted = new BlockingCollection<(string ProposalId, string Path, string Content, bool Approve)>();
        var submitLatencies = new ConcurrentBag<double>();
        var approveLatencies = new ConcurrentBag<double>();
        var rejectLatencies = new ConcurrentBag<double>();
        var decided = new ConcurrentDictionary<string, string>();
        var clock = Stopwatch.StartNew();
        var review = Task.Run(async () =>
        {
            foreach (var (proposalId, _, _, approve) in submitted.GetConsumingEnumerable())
            {
                var started = Stopwatch.GetTimestamp();
                var result = approve
                    ? await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = proposalId, Revision = 1 })
                    : await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalReject, new RejectProposalParams { ProposalId = proposalId, Revision = 1 });
                (approve ? approveLatencies : rejectLatencies).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                decided[proposalId] = result.Outcome;
            }
        });
        var expected = new ConcurrentBag<(string ProposalId, string Path, string Content, bool Approve)>();
        await Task.WhenAll(agents.Select((agent, a) => Task.Run(async () =>
        {
            for (var j = 0; j < perAgent; j++)
            {
                var path = $"agent-{a}/file-{j}.txt";
                var content = $"agent {a} proposal {j}\n";
                var started = Stopwatch.GetTimestamp();
                var result = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = $"load-{a}-{j}", Files = [new FileIntentInfo { Kind = "create", Path = path, Content = content }] });
                submitLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Assert.Equal("staged", result.Outcome);
                var item = (result.ProposalId, path, content, Approve: (a + j) % 3 != 0);
                expected.Add(item);
                submitted.Add(item);
            }
        })));
        submitted.CompleteAdding();
        await review;
        var elapsed = clock.Elapsed;

        // Nothing lost: every proposal was decided once, approved files hold exactly their content, rejected ones do not exist.
        var total = Agents * perAgent;
        Assert.Equal(total, expected.Select(e => e.ProposalId).Distinct().Count());
        Assert.Equal(total, decided.Count);
        foreach (var (proposalId, path, content, approve) in expected)
        {
            var full = Path.Combine(temp.Workspace, path);
            if (approve)
            {
                Assert.Equal("committed", decided[proposalId]);
                Assert.Equal(content, await File.ReadAllTextAsync(full));
            }
            else
            {
                Assert.Equal("rejected", decided[proposalId]);
                Assert.False(File.Exists(full), $"{path} was rejected but exists");
            }
        }
        var pending = await reviewer.CallAsync<ListProposalsResult>(ProtocolMethods.ProposalList, new ListProposalsParams { Statuses = ["pending"] });
        Assert.Empty(pending.Proposals);

        // Seqs unique and contiguous from 1 to the head, with one staged entry per proposal and one commit per approval.
        var entries = await AllEntriesAsync(reviewer);
        var seqs = entries.Select(e => e.Seq).Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        var after = entries.Where(e => e.Seq > headBefore).ToList();
        var approvals = expected.Count(e => e.Approve);
        Assert.Equal(total, after.Count(e => e.Kind == "proposal.staged"));
        Assert.Equal(approvals, after.Count(e => e.Kind == "commit"));
        Assert.Equal(total - approvals, after.Count(e => e.Kind == "proposal.rejected"));
        var verify = await reviewer.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams());
        Assert.True(verify.Valid, string.Join("; ", verify.Problems.Select(p => $"{p.Seq}: {p.Message}")));
        Assert.Equal(seqs.Count, verify.EntriesChecked);

        output.WriteLine($"load: {Agents} agents x {perAgent} proposals = {total} submitted, {approvals} approved, {total - approvals} rejected, {seqs.Count} entries, verify intact, {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"load: submit  p50 {Percentile(submitLatencies, 50):F1} ms  p99 {Percentile(submitLatencies, 99):F1} ms");
        output.WriteLine($"load: approve p50 {Percentile(approveLatencies, 50):F1} ms  p99 {Percentile(approveLatencies, 99):F1} ms");
        output.WriteLine($"load: reject  p50 {Percentile(rejectLatencies, 50):F1} ms  p99 {Percentile(rejectLatencies, 99):F1} ms");
        output.WriteLine($"load: sidecar RSS at the end {sidecar.ResidentKilobytes() / 1024} MiB");
    }

    [Fact]
    public async Task ASecondSidecarOnTheSameFolderIsRefusedNamingTheHolderAndDamagesNothing()
    {
        using var temp = new TempWorkspace();
        await File.WriteAllTextAsync(Path.Combine(temp.Workspace, "a.txt"), "alpha\n");
        await using var first = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var reviewer = await first.ConnectOperatorAsync();
        var issued = await reviewer.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "a", Include = ["**"], Effects = ["create"], LifetimeSeconds = 3600 });
        var agent = await first.ConnectAgentAsync(issued.Token);
        var staged = await agent.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = "n", Files = [new FileIntentInfo { Kind = "create", Path = "b.txt", Content = "bee\n" }] });
        var before = await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 1 });

        // The second window's sidecar, spoken to as VS Code would: its initialize gets the reason, then it exits.
        await using var second = SidecarProcess.Start(temp.Workspace, temp.KeyDirectory, new SidecarStart { Arguments = ["--stdio"] });
        await second.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        second.CloseInput(); // as the editor does after a failed initialize; the sidecar waits for it before exiting
        var exitCode = await second.ExitCodeAsync();
        var message = second.Stderr;
        var answer = Encoding.UTF8.GetString(second.Stdout);
        output.WriteLine($"second sidecar: exit code {exitCode}: {message.Trim()}");
        output.WriteLine($"second sidecar's answer to initialize: {answer.Replace("\r\n\r\n", " ", StringComparison.Ordinal)}");

        Assert.Equal(3, exitCode);
        Assert.Contains("held by another process", message, StringComparison.Ordinal);
        Assert.Contains($"pid {first.ProcessId}", message, StringComparison.Ordinal);
        using var error = JsonDocument.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.Equal(ErrorCodes.LedgerHeld, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains($"pid {first.ProcessId}", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // The first sidecar still serves, its ledger is unchanged and valid, and the approval still applies.
        var after = await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { Limit = 1 });
        Assert.Equal(before.HeadSeq, after.HeadSeq);
        Assert.Equal(before.Entries[0].Hash, after.Entries[0].Hash);
        await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = staged.ProposalId, Revision = 1 });
        Assert.Equal("bee\n", await File.ReadAllTextAsync(Path.Combine(temp.Workspace, "b.txt")));
        Assert.True((await reviewer.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams())).Valid);
    }

    private static async Task<List<EntrySummary>> AllEntriesAsync(RpcTestClient reviewer)
    {
        var all = new List<EntrySummary>();
        long? before = null;
        do
        {
            var page = await reviewer.CallAsync<ListEntriesResult>(ProtocolMethods.LedgerListEntries, new ListEntriesParams { BeforeSeq = before, Limit = 1000 });
            all.AddRange(page.Entries);
            before = page.NextBeforeSeq;
        }
        while (before is not null);
        return all;
    }

    private static double Percentile(IEnumerable<double> samples, int percentile)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
