// Hostile globs in file/list against the real sidecar process: refused with an error naming the limit, and the
// sidecar's memory stays bounded while it compiles nothing unbounded.
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class GlobBoundsThroughTheSidecarTests(ITestOutputHelper output)
{
    /// <summary>How much resident memory the hostile globs may add; the 12.75 MB glob's frame alone is about 13 MiB, held a few times over by the JSON-RPC layers.</summary>
    private const long MaxGrowthKilobytes = 192 * 1024;

    public static TheoryData<string, string> HostileGlobs() => new()
    {
        // The size from the issue: 12.75 MiB of '*a', which once drove the sidecar to 3.4 GiB.
        { "a 12.75 MiB glob of '*a'", string.Concat(Enumerable.Repeat("*a", 12_750 * 1024 / 2)) },
        { "'*a' repeated 500 times", string.Concat(Enumerable.Repeat("*a", 500)) },
        { "braces nested 300 deep", new string('{', 300) + "a" + new string('}', 300) },
        { "'**' in 40 segments", string.Join('/', Enumerable.Repeat("**", 40)) + "/x" },
        { "200 segments", string.Join('/', Enumerable.Repeat("a", 200)) },
    };

    [Theory]
    [MemberData(nameof(HostileGlobs))]
    public async Task AHostileGlobInFileListIsRefusedNamingTheLimitAndTheSidecarStaysBounded(string what, string glob)
    {
        using var temp = new TempWorkspace();
        await File.WriteAllTextAsync(Path.Combine(temp.Workspace, "a.txt"), "a\n");
        await using var sidecar = await SidecarProcess.StartAsync(temp.Workspace, temp.KeyDirectory);
        var reviewer = await sidecar.ConnectOperatorAsync();
        var writ = await reviewer.CallAsync<IssueWritResult>(ProtocolMethods.WritIssue, new IssueWritParams { Agent = "lister", Include = ["**"], Effects = ["modify"], LifetimeSeconds = 3600 });
        var agent = await sidecar.ConnectAgentAsync(writ.Token);
        var before = await agent.CallAsync<ListFilesResult>(ProtocolMethods.FileList, new ListFilesParams());
        Assert.Equal(["a.txt"], before.Files);
        var baseline = sidecar.ResidentKilobytes();

        // Sample the sidecar's memory from /proc while it handles the glob.
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !sidecar.HasExited)
            {
                peak = Math.Max(peak, sidecar.ResidentKilobytes());
                await Task.Delay(10);
            }
        });
        var refusal = await agent.RefusalOfAsync(ProtocolMethods.FileList, new ListFilesParams { Glob = glob });
        await stop.CancelAsync();
        await sampler.WaitAsync(SidecarProcess.Timeout);
        peak = Math.Max(peak, sidecar.ResidentKilobytes());
        output.WriteLine($"{what}: sidecar RSS baseline {baseline / 1024} MiB, peak {peak / 1024} MiB; refusal: {refusal?.Message}");

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCodes.InvalidParams, refusal.Code);
        Assert.Contains("more than the limit of", refusal.Message, StringComparison.Ordinal);
        Assert.True(refusal.Message.Length < 1000, $"the error repeats the glob: {refusal.Message.Length} characters");
        Assert.True(peak - baseline < MaxGrowthKilobytes, $"the sidecar grew by {(peak - baseline) / 1024} MiB handling {what}");
        Assert.False(sidecar.HasExited);
        var after = await agent.CallAsync<ListFilesResult>(ProtocolMethods.FileList, new ListFilesParams { Glob = "*.txt" });
        Assert.Equal(["a.txt"], after.Files);
    }
}
