// Durability seen from outside the process: strace shows an fsync of the ledger log before every acknowledgement.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Ledger;

public sealed partial class FsyncUnderStraceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Runs a child that appends entries and prints "ack N" after each append returns, under
    /// <c>strace -f -y</c>. Between consecutive acknowledgements there must be an fsync (or
    /// fdatasync) of the LiteDB log file: LiteDB 5.0.21 alone does not do one per commit.
    /// </summary>
    [Fact]
    public void EveryAcknowledgementIsPrecededByAnFsyncOfTheLedgerLog()
    {
        const int Appends = 50;
        using var workspace = new TempWorkspace();
        var trace = Path.Combine(workspace.Root, "strace.txt");
        var start = new ProcessStartInfo("strace") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", "-y", "-e", "trace=fsync,fdatasync,write", "-o", trace, "dotnet", Path.Combine(AppContext.BaseDirectory, "OpenThymos.CrashHarness.dll"), "append", workspace.Workspace, workspace.KeyDirectory, Appends.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("strace is required for this test (apt-get install strace); .ci/run installs it.", exception);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "the append child did not finish");
            Assert.True(process.ExitCode == 0, $"strace or the child failed ({process.ExitCode}): {stderr}");
            Assert.Equal(Appends, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        var logFsyncsSinceLastAck = 0;
        var logFsyncs = 0;
        var splitFsyncs = 0;
        var acks = 0;
        var unsyncedAcks = new List<int>();
        var fsyncInFlight = new HashSet<string>(); // threads whose log fsync strace printed as "<unfinished ...>"
        foreach (var line in File.ReadLines(trace))
        {
            // When another thread makes a traced call during an fsync, strace splits the fsync into an
            // "<unfinished ...>" line and a later "<... fsync resumed>" line of the same thread: the fsync
            // has returned at the second line, so that is where it counts.
            if (LogFsync().IsMatch(line))
            {
                logFsyncsSinceLastAck++;
                logFsyncs++;
            }
            else if (LogFsyncUnfinished().Match(line) is { Success: true } unfinished)
            {
                fsyncInFlight.Add(unfinished.Groups[1].Value);
            }
            else if (FsyncResumed().Match(line) is { Success: true } resumed && fsyncInFlight.Remove(resumed.Groups[1].Value))
            {
                logFsyncsSinceLastAck++;
                logFsyncs++;
                splitFsyncs++;
            }
            else if (Ack().Match(line) is { Success: true } ack)
            {
                acks++;
                if (logFsyncsSinceLastAck == 0)
                {
                    unsyncedAcks.Add(int.Parse(ack.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                }

                logFsyncsSinceLastAck = 0;
            }
        }

        output.WriteLine($"strace: {acks} acknowledgements, {logFsyncs} fsyncs of the ledger log ({(double)logFsyncs / Math.Max(1, acks):F2} per acknowledgement; {splitFsyncs} printed split across two lines)");
        Assert.Equal(Appends, acks);
        Assert.Empty(unsyncedAcks);
    }

    [GeneratedRegex(@"\b(fsync|fdatasync)\(\d+<[^>]*ledger-log\.db>\)\s+=\s+0")]
    private static partial Regex LogFsync();

    [GeneratedRegex(@"^(\d+)\s+(?:fsync|fdatasync)\(\d+<[^>]*ledger-log\.db>\s*<unfinished \.\.\.>")]
    private static partial Regex LogFsyncUnfinished();

    [GeneratedRegex(@"^(\d+)\s+<\.\.\. (?:fsync|fdatasync) resumed>\s*\)\s+=\s+0")]
    private static partial Regex FsyncResumed();

    [GeneratedRegex(@"\bwrite\(\d+<[^>]*>, ""ack (\d+)\\n""")]
    private static partial Regex Ack();
}
