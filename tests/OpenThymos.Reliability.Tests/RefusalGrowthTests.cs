// Refusals cannot grow the ledger without bound: hundreds of refused intents with large bodies and a thousand garbage
// tokens through the real sidecar add a few compact entries whose counts add up to every attempt.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Reliability.Tests.Support;
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class RefusalGrowthTests(ITestOutputHelper output)
{
    /// <summary>The most the ledger's files may grow for the whole run (docs/reliability.md, "Refusals").</summary>
    private const long GrowthBoundBytes = 1024 * 1024;

    private const int RefusedIntents = 700;
    private const int GarbageTokens = 1000;

    [Fact]
    public async Task SevenHundredRefusedIntentsWithLargeBodiesAndAThousandGarbageTokensGrowTheLedgerByLessThanTheBoundAndEveryAttemptIsCounted()
    {
        await using var world = await HostileWorld.CreateAsync();
        var before = await world.SnapshotAsync();
        var bytesBefore = LedgerBytes(world);
        long requestBytes = 0;

        for (var i = 0; i < RefusedIntents; i++)
        {
            // 100 files with long paths and content, outside the writ's scope: refused, as the 51.8 MB run of issue 13 was.
            var intent = new SubmitIntentParams
            {
                Nonce = "growth-" + i,
                Description = new string('d', 2048),
                Files = [.. Enumerable.Range(0, 100).Select(j => new FileIntentInfo { Kind = "create", Path = $"top-{i}-{j}-" + new string('p', 230) + ".txt", Content = new string('c', 1024) })],
            };
            requestBytes += 2048 + (100 * (1024 + 245));
            var refusal = await world.SrcOnlyAgent.RefusalOfAsync(ProtocolMethods.IntentSubmit, intent);
            Assert.NotNull(refusal);
        }

        var tokenClient = await world.Sidecar.ConnectAsync();
        for (var i = 0; i < GarbageTokens; i++)
        {
            var refusal = await tokenClient.RefusalOfAsync(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = $"thymos-writ-v1.garbage-{i}-" + new string('g', 512) });
            Assert.NotNull(refusal);
        }

        var after = await world.SnapshotAsync();
        var bytesAfter = LedgerBytes(world);
        var (attempts, entries, largest) = world.RefusalsSince(before.HeadSeq);
        output.WriteLine($"refusal growth: {RefusedIntents} refused intents ({requestBytes / (1024 * 1024)} MiB of requests) and {GarbageTokens} garbage tokens -> "
            + $"{entries} entries (largest payload {largest} bytes) counting {attempts} attempts; ledger files {bytesBefore} -> {bytesAfter} bytes "
            + $"(+{bytesAfter - bytesBefore}; bound {GrowthBoundBytes}); head {before.HeadSeq} -> {after.HeadSeq}, verify {(after.Valid ? "intact" : "BROKEN")}");

        Assert.Equal(RefusedIntents + GarbageTokens, attempts);
        Assert.Equal(before.HeadSeq + entries, after.HeadSeq);
        Assert.True(bytesAfter - bytesBefore < GrowthBoundBytes, $"the ledger grew by {bytesAfter - bytesBefore} bytes, over the bound of {GrowthBoundBytes}");
        Assert.True(after.Valid);
    }

    private static long LedgerBytes(HostileWorld world)
    {
        var path = LedgerOptions.DefaultLedgerPath(world.Workspace);
        return new[] { path, LiteDbLedgerStore.LogPathOf(path) }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
    }
}
