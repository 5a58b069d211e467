// A process killed at any instant leaves every file whole and the ledger and disk in agreement after restart.
using System.Diagnostics;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Starts the crash harness (a real child process doing two-file approve cycles), SIGKILLs it at a
    /// random moment, then reopens the workspace (which recovers) and checks: the ledger verifies, the
    /// disk matches the ledger's world, both files carry the same stamp (the two-file apply is whole),
    /// and no temp file is left. Repeats until at least THYMOS_CRASH_CYCLES (default 200) approve cycles ran.
    /// The kill delays and the harness's file sizes come from TestSeeds (THYMOS_CRASHRECOVERY_SEED pins one, else the
    /// regression seeds listed for this test, then a fresh one); where each kill lands also depends on the machine's timing.
    /// </summary>
    [Fact]
    public void SigkillAtRandomPointsNeverLeavesAHalfAppliedProposal() =>
        TestSeeds.Run("THYMOS_CRASHRECOVERY_SEED", output.WriteLine, KillAndRecover);

    private void KillAndRecover(int seed)
    {
        var targetCycles = int.TryParse(Environment.GetEnvironmentVariable("THYMOS_CRASH_CYCLES"), out var n) ? n : 200;
        using var workspace = new TempWorkspace();
        var harnessDll = Path.Combine(AppContext.BaseDirectory, "OpenThymos.CrashHarness.dll");
        Assert.True(File.Exists(harnessDll), $"crash harness not built at {harnessDll}");
        var random = new Random(seed);
        var cycles = 0;
        var kills = 0;
        var recoveredCommits = 0;
        var stopwatch = Stopwatch.StartNew();
        while (cycles < targetCycles || kills < 25)
        {
            // A bound on kills, not on time: on a loaded machine each cycle is slower but the test still ends.
            Assert.True(kills < 1000, $"crash test made no progress: {cycles} cycles in {kills} kills");
            // Most kills land during approve cycles; every fifth lands during start-up, which includes recovery.
            var duringStartUp = kills % 5 == 4;
            var started = RunAndKill(harnessDll, workspace, duringStartUp, random.Next(duringStartUp ? 0 : 1, duringStartUp ? 700 : 400), random.Next());
            cycles += started.Committed + (started.Committed > 0 ? 1 : 0);
            kills++;

            using var runtime = ThymosRuntime.Open(new RuntimeOptions { Ledger = workspace.Options() });
            var verification = LedgerVerifier.Verify(runtime.Ledger.Store, workspace.KeyDirectory);
            Assert.True(verification.IsValid, $"after kill {kills}: " + string.Join("\n", verification.Problems));
            var drift = WorldReplayer.Drift(runtime.Ledger.Store, workspace.Workspace);
            Assert.True(drift.IsClean, $"after kill {kills}: drift {string.Join(", ", drift.Items)}");
            Assert.Empty(runtime.State.InFlightApprovals);
            if (File.Exists(workspace.PathOf("a.txt")))
            {
                Assert.Equal(FirstLine(workspace.PathOf("a.txt")), FirstLine(workspace.PathOf("b.txt")));
            }

            var staging = Path.Combine(workspace.Workspace, ".thymos", "staging");
            Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFiles(staging).Any(), "temp files left in staging");
            recoveredCommits = runtime.Ledger.Read().Count(e => e.Kind == EntryKind.Commit && WorkspaceLedger.Deserialize(e, LedgerJsonContext.Default.CommitPayload).Recovered);
        }

        output.WriteLine($"crash test, seed {seed}: {kills} SIGKILLs over {cycles} approve cycles; {recoveredCommits} commits finished by recovery; {stopwatch.Elapsed.TotalSeconds:F1}s");
    }

    private static string FirstLine(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine() ?? "";
    }

    private static (int Committed, string Errors) RunAndKill(string harnessDll, TempWorkspace workspace, bool fromStart, int killAfterMilliseconds, int harnessSeed)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(harnessDll);
        start.ArgumentList.Add(workspace.Workspace);
        start.ArgumentList.Add(workspace.KeyDirectory);
        start.ArgumentList.Add(harnessSeed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var committed = 0;
        using var ready = new ManualResetEventSlim();
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("committed", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref committed);
            }
            if (e.Data?.StartsWith("committed", StringComparison.Ordinal) == true)
            {
                // The first commit means the code paths are warm; kills are timed from here.
                ready.Set();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!fromStart && !ready.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The crash harness did not commit within a minute: {errors}");
        }

        if (process.WaitForExit(killAfterMilliseconds))
        {
            throw new InvalidOperationException($"The crash harness exited by itself with code {process.ExitCode}: {errors}");
        }

        process.Kill(entireProcessTree: true); // SIGKILL on Unix
        process.WaitForExit();
        return (committed, errors.ToString());
    }
}
