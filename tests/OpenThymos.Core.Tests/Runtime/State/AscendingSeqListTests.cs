// The chunked list of commit seqs answers membership and "after seq" queries exactly as a sorted list does.
using OpenThymos.Core.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Runtime.State;

public sealed class AscendingSeqListTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)] // inside the small first chunk as it doubles
    [InlineData(AscendingSeqList.ChunkLength)]
    [InlineData((AscendingSeqList.ChunkLength * 3) + 11)]
    public void ContainsAndAfterMatchASortedList(int count)
    {
        TestSeeds.Run("THYMOS_SEQLIST_SEED", output.WriteLine, seed =>
        {
            var random = new Random(seed);
            var expected = new List<long>();
            var list = new AscendingSeqList();
            long seq = 0;
            for (var i = 0; i < count; i++)
            {
                seq += 1 + random.Next(4);
                expected.Add(seq);
                list.Append(seq);
                list.Append(seq); // folding the same entry twice keeps it once
            }

            Assert.Equal(expected, list);
            Assert.Equal(expected.Count, list.Count);
            Assert.Equal(expected.Count == 0 ? null : expected[^1], list.Last);
            for (long probe = -1; probe <= seq + 2; probe += 1 + (seq / 500))
            {
                Assert.Equal(expected.Contains(probe), list.Contains(probe));
                Assert.Equal(expected.Where(s => s > probe), list.After(probe));
            }

            Assert.Empty(list.After(long.MaxValue));
            Assert.Equal(expected, list.After(long.MinValue));
        });
    }

    [Fact]
    public void AFoldOutOfOrderIsRefusedAndLeavesTheListAsItWas()
    {
        var list = new AscendingSeqList();
        list.Append(10);
        list.Append(20);
        var error = Assert.Throws<InvalidOperationException>(() => list.Append(15));
        Assert.Contains("Seq 15 was folded after seq 20", error.Message, StringComparison.Ordinal);
        Assert.Equal([10L, 20L], list);
    }
}
