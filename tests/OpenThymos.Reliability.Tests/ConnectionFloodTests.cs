// A client that opens connections without end, as its own process, against the real sidecar: it is refused once it
// holds its share, the sidecar's descriptors and memory stay bounded, and other processes are still served.
using System.Diagnostics;
using System.Text.Json;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Sockets;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class ConnectionFloodTests(ITestOutputHelper output)
{
    /// <summary>Connection attempts the flooding process must have made before the checks.</summary>
    private const int FloodAttempts = 3000;

    /// <summary>How much resident memory the flood may add to the sidecar.</summary>
    private const long MaxGrowthKilobytes = 64 * 1024;

    [Fact]
    public async Task AProcessOpeningConnectionsWithoutEndIsRefusedPastItsShareWhileOthersAreServed()
    {
        using var temp = new TempWorkspace();
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var reviewer = await sidecar.ConnectOperatorAsync();
        var issued = await reviewer.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "honest", Include = ["honest/**"], Effects = ["create"], LifetimeSeconds = 3600 });
        var baselineKilobytes = sidecar.ResidentKilobytes();
        var baselineDescriptors = OpenDescriptors(sidecar.ProcessId);

        using var flood = StartFlood(sidecar.SocketPath);
        FloodCounts counts = new(0, 0, 0, 0, 0, "", false);
        var peakKilobytes = baselineKilobytes;
        var peakDescriptors = baselineDescriptors;
        var honestCommits = 0;
        var honestConnects = new List<double>();
        var clock = Stopwatch.StartNew();
        while (counts.Attempts < FloodAttempts || honestCommits < 5)
        {
            if (flood.HasExited)
            {
                Assert.Fail($"the flooding process exited early: {await flood.StandardError.ReadToEndAsync()}");
            }
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"the flood made only {counts.Attempts} attempts in 3 minutes");
            var line = await flood.StandardOutput.ReadLineAsync().WaitAsync(SidecarProcess.Timeout);
            counts = JsonSerializer.Deserialize<FloodCounts>(line!, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
            peakKilobytes = Math.Max(peakKilobytes, sidecar.ResidentKilobytes());
            peakDescriptors = Math.Max(peakDescriptors, OpenDescriptors(sidecar.ProcessId));

            // While the flood runs, another process (this test) connects afresh and gets a proposal committed.
            if (counts.Refused > 0 && honestCommits < 5)
            {
                var connecting = Stopwatch.StartNew();
                var honest = await sidecar.ConnectAgentAsync(issued.Token);
                honestConnects.Add(connecting.Elapsed.TotalMilliseconds);
                var staged = await honest.CallAsync<SubmitIntentResult>(ProtocolMethods.IntentSubmit, new SubmitIntentParams { Nonce = $"honest-{honestCommits}", Files = [new FileIntentInfo { Kind = "create", Path = $"honest/file{honestCommits}.txt", Content = $"honest {honestCommits}\n" }] });
                var decided = await reviewer.CallAsync<DecisionResultInfo>(ProtocolMethods.ProposalApprove, new ApproveProposalParams { ProposalId = staged.ProposalId, Revision = 1 });
                Assert.Equal("committed", decided.Outcome);
                honestCommits++;
            }
        }

        // Stop new attempts and let every refusal in flight arrive: what stays open is what the sidecar admitted.
        await flood.StandardInput.WriteLineAsync("stop");
        await flood.StandardInput.FlushAsync();
        while (!counts.Final)
        {
            var line = await flood.StandardOutput.ReadLineAsync().WaitAsync(SidecarProcess.Timeout);
            counts = JsonSerializer.Deserialize<FloodCounts>(line!, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        }
        output.WriteLine($"flood: {counts.Attempts} attempts: {counts.Open} admitted and held, {counts.Refused} refused with TooManyConnections, {counts.ConnectFailed} refused by the kernel (full accept backlog), {counts.ClosedOtherwise} closed otherwise; sidecar descriptors {baselineDescriptors} -> peak {peakDescriptors}, RSS {baselineKilobytes / 1024} -> peak {peakKilobytes / 1024} MiB; {honestCommits} honest proposals committed meanwhile, each over a fresh connection (connect + session/open: {string.Join(", ", honestConnects.Select(ms => $"{ms:F0}"))} ms)");

        Assert.Equal(AgentConnectionLimit.DefaultPerProcess, counts.Open);
        Assert.Equal(0, counts.ClosedOtherwise);
        Assert.Equal(counts.Attempts - AgentConnectionLimit.DefaultPerProcess - counts.ConnectFailed, counts.Refused);
        Assert.Contains($"already holds {AgentConnectionLimit.DefaultPerProcess} agent connections", counts.Message, StringComparison.Ordinal);
        Assert.Contains("Close connections you no longer use", counts.Message, StringComparison.Ordinal);
        Assert.Equal(5, honestCommits);
        // Each held connection costs the sidecar one descriptor; refused ones are closed at once. Slack: this test's own five honest connections and the runtime's files.
        Assert.True(peakDescriptors - baselineDescriptors <= AgentConnectionLimit.DefaultPerProcess + 32, $"the sidecar's open descriptors grew from {baselineDescriptors} to {peakDescriptors}");
        Assert.True(peakKilobytes - baselineKilobytes < MaxGrowthKilobytes, $"the sidecar grew by {(peakKilobytes - baselineKilobytes) / 1024} MiB");

        // Once the flooding process is gone its share is released: its descriptors are closed in the sidecar.
        flood.Kill();
        await flood.WaitForExitAsync();
        var released = Stopwatch.StartNew();
        while (OpenDescriptors(sidecar.ProcessId) > baselineDescriptors + 16 && released.Elapsed < SidecarProcess.Timeout)
        {
            await Task.Delay(50);
        }
        Assert.True(OpenDescriptors(sidecar.ProcessId) <= baselineDescriptors + 16, $"the flood's connections were not released: {OpenDescriptors(sidecar.ProcessId)} descriptors open");
        Assert.Contains("agent connections refused so far", sidecar.Stderr, StringComparison.Ordinal);
        var verify = await reviewer.CallAsync<VerifyResultInfo>(ProtocolMethods.LedgerVerify, new LedgerWorkParams());
        Assert.True(verify.Valid);
        Assert.False(sidecar.HasExited);
    }

    [Fact]
    public async Task TheThymosCliReachesTheSidecarWhileAnotherProcessFloodsItsSocket()
    {
        using var temp = new TempWorkspace();
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        using var flood = StartFlood(sidecar.SocketPath);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        FloodCounts counts;
        do
        {
            counts = JsonSerializer.Deserialize<FloodCounts>((await flood.StandardOutput.ReadLineAsync().WaitAsync(SidecarProcess.Timeout))!, options)!;
        }
        while (counts.Refused < 500);
        // Keep draining the flood's report lines, so it never blocks on a full pipe while the CLI runs.
        var drain = flood.StandardOutput.BaseStream.CopyToAsync(Stream.Null);

        // The ledger's writer lock is held by the sidecar, so the CLI's answers can only come through the socket.
        for (var run = 0; run < 3; run++)
        {
            var cli = await ThymosProcess.RunAsync(["verify", "--workspace", temp.Workspace, "--key-dir", temp.KeyDirectory], new Dictionary<string, string> { ["OPENTHYMOS_KEY_DIR"] = temp.KeyDirectory });
            output.WriteLine($"thymos verify during the flood: exit {cli.ExitCode}: {cli.Stdout.Trim()} {cli.Stderr.Trim()}");
            Assert.Equal(0, cli.ExitCode);
            Assert.StartsWith("ok:", cli.Stdout.Trim(), StringComparison.Ordinal);
        }
        Assert.False(flood.HasExited);
        flood.Kill();
        await flood.WaitForExitAsync();
        await drain;
    }

    private static int OpenDescriptors(int processId) => Directory.GetFiles($"/proc/{processId}/fd").Length;

    private static Process StartFlood(string socketPath)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "connection-flood.mjs"));
        start.ArgumentList.Add(socketPath);
        return Process.Start(start) ?? throw new InvalidOperationException("node did not start; the flood test needs Node.js on PATH.");
    }

    private sealed record FloodCounts(int Attempts, int ConnectFailed, int Refused, int Open, int ClosedOtherwise, string Message, bool Final);
}
