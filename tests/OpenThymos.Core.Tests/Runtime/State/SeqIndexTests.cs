// The runtime's compact key → seq-range index answers exactly as a dictionary of the key strings would, collisions included.
using OpenThymos.Core.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Runtime.State;

public sealed class SeqIndexTests(ITestOutputHelper output)
{
    /// <summary>
    /// Random sets, overwrites, removes and lookups, checked after every step against a plain dictionary.
    /// Each range's first seq is unique to its key and stays its key's, so <c>isKeyOf</c> can tell (as the
    /// runtime does by reading the entry back) whether a range found under a digest is the key's own.
    /// The operations come from TestSeeds: THYMOS_SEQINDEX_SEED pins one, else the regression seeds listed, then a fresh one.
    /// </summary>
    [Theory]
    [InlineData("fnv", 20_000)]
    [InlineData("eight digests", 3_000)] // every key collides with others: chains and the exact fallback
    [InlineData("one digest", 600)]
    public void AnswersLikeADictionaryOfTheKeys(string digestName, int operations)
    {
        Func<string, ulong>? digest = digestName switch
        {
            // Not string.GetHashCode, which .NET randomizes per process: the same seed must give the same collisions.
            "eight digests" => key => (ulong)(key.Sum(c => c) & 7),
            "one digest" => _ => 42,
            _ => null,
        };
        TestSeeds.Run("THYMOS_SEQINDEX_SEED", output.WriteLine, seed =>
        {
            var index = new SeqIndex(digest);
            var model = new Dictionary<string, (long First, long Last)>(StringComparer.Ordinal);
            var ownerOfFirst = new Dictionary<long, string>();
            var random = new Random(seed);
            long nextFirst = 1;
            Func<(long First, long Last), bool> IsKeyOf(string key) => range => ownerOfFirst.TryGetValue(range.First, out var owner) && owner == key;

            for (var step = 0; step < operations; step++)
            {
                var key = "p_" + random.Next(operations / 3).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
                switch (random.Next(4))
                {
                    case 0:
                    case 1:
                        var first = nextFirst;
                        nextFirst += 1 + random.Next(5);
                        var last = first + random.Next(3) switch { 0 => 0, 1 => random.Next(1000), _ => (long)int.MaxValue + random.Next(3) };
                        ownerOfFirst[first] = key; // like a ledger entry, a range's owner never changes
                        model[key] = (first, last);
                        index.Set(key, first, last, IsKeyOf(key));
                        break;
                    case 2:
                        model.Remove(key);
                        index.Remove(key, IsKeyOf(key));
                        break;
                    default:
                        break;
                }

                Assert.Equal(model.GetValueOrDefault(key) is { First: > 0 } expected ? expected : null, index.Get(key, IsKeyOf(key)));
                Assert.Equal(model.Count, index.Count);
            }

            foreach (var (key, range) in model)
            {
                Assert.Equal(range, index.Get(key, IsKeyOf(key)));
            }

            Assert.Null(index.Get("never-set", IsKeyOf("never-set")));
        });
    }

    [Fact]
    public void SlotsFreedByRemovalsAreReusedAndGrowthKeepsEveryKey()
    {
        var index = new SeqIndex();
        var owner = new Dictionary<long, string>();
        Func<(long First, long Last), bool> IsKeyOf(string key) => range => owner.GetValueOrDefault(range.First) == key;
        const int Keys = SeqIndex.ChunkLength * 5 + 17; // several chunks and many bucket doublings
        for (var i = 0; i < Keys; i++)
        {
            owner[i * 10] = "k" + i;
            index.Set("k" + i, i * 10, (i * 10) + (i % 7), IsKeyOf("k" + i));
        }

        for (var i = 0; i < Keys; i += 2)
        {
            index.Remove("k" + i, IsKeyOf("k" + i));
        }

        for (var i = 0; i < Keys; i += 2)
        {
            owner[(i * 10) + 5] = "again" + i;
            index.Set("again" + i, (i * 10) + 5, (i * 10) + 6, IsKeyOf("again" + i));
        }

        Assert.Equal(Keys, index.Count);
        for (var i = 0; i < Keys; i++)
        {
            var expected = i % 2 == 0 ? ((long, long)?)null : (i * 10, (i * 10) + (i % 7));
            Assert.Equal(expected, index.Get("k" + i, IsKeyOf("k" + i)));
            if (i % 2 == 0)
            {
                Assert.Equal(((long)(i * 10) + 5, (long)(i * 10) + 6), index.Get("again" + i, IsKeyOf("again" + i)));
            }
        }
    }
}
