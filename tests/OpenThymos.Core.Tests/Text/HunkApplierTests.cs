// Tests that any subset of hunks applies byte-exactly, and that bad hunk sets are refused.
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class HunkApplierTests(ITestOutputHelper output)
{
    // Diffs base against new, applies the hunks with the given ids, and compares the joined text.
    private static void Check(string baseText, string newText, string[] approvedIds, string expected)
    {
        var baseLines = TextDocument.SplitLines(baseText);
        var hunks = HunkComputer.Compute(baseLines, TextDocument.SplitLines(newText));
        Assert.Equal(expected, HunkApplier.Join(HunkApplier.Apply(baseLines, hunks.Where(h => approvedIds.Contains(h.Id)))));
    }

    [Fact] public void ApprovingEverythingGivesTheNewText() => Check("a\nb\nc\n", "A\nb\nC\n", ["h1", "h2"], "A\nb\nC\n");

    [Fact] public void ApprovingNothingGivesTheBase() => Check("a\nb\nc\n", "A\nb\nC\n", [], "a\nb\nc\n");

    [Fact] public void ApprovingOnlyTheSecondHunkKeepsTheFirstLine() => Check("a\nb\nc\n", "A\nb\nC\n", ["h2"], "a\nb\nC\n");

    [Fact] public void CrlfFileStaysCrlfWhereUntouched() => Check("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n", ["h2"], "a\r\nb\r\nc\r\nd\r\n");

    [Fact] public void MissingFinalNewlineIsKept() => Check("a\nb", "A\nb", ["h1"], "A\nb");

    [Fact] public void EmptyBaseTakesTheNewFile() => Check("", "x\r\ny", ["h1"], "x\r\ny");

    [Fact]
    public void HunksApplyInAnyOrderGiven()
    {
        var baseLines = TextDocument.SplitLines("a\nb\nc\n");
        var hunks = HunkComputer.Compute(baseLines, TextDocument.SplitLines("A\nb\nC\n"));
        Assert.Equal("A\nb\nC\n", HunkApplier.Join(HunkApplier.Apply(baseLines, hunks.Reverse())));
    }

    [Fact]
    public void UnterminatedLastLineFollowedByAnotherGetsTheDominantEnding()
    {
        var baseLines = TextDocument.SplitLines("a\r\nb");
        var appended = new Hunk("h1", 2, [], ["c\r\n"]);
        Assert.Equal(["a\r\n", "b\r\n", "c\r\n"], HunkApplier.Apply(baseLines, [appended]));
    }

    [Fact]
    public void ExplicitDominantEndingIsUsedForTheJoin() => Assert.Equal("x\r\ny", HunkApplier.Join(["x", "y"], "\r\n"));

    [Fact]
    public void JoinInfersTheEndingFromTheLines() => Assert.Equal("x\r\ny\r\nz\r\n", HunkApplier.Join(["x", "y\r\n", "z\r\n"]));

    [Fact]
    public void HunkThatNoLongerMatchesTheBaseIsRefused() =>
        Assert.Throws<ArgumentException>(() => HunkApplier.Apply(["a\n", "b\n"], [new Hunk("h1", 1, ["x\n"], [])]));

    [Fact]
    public void HunkPastTheEndIsRefused() =>
        Assert.Throws<ArgumentException>(() => HunkApplier.Apply(["a\n"], [new Hunk("h1", 1, ["a\n"], [])]));

    [Fact]
    public void OverlappingHunksAreRefused() =>
        Assert.Throws<ArgumentException>(() => HunkApplier.Apply(["a\n", "b\n", "c\n"], [new Hunk("h1", 0, ["a\n", "b\n"], []), new Hunk("h2", 1, ["b\n", "c\n"], [])]));

    [Fact]
    public void TwoInsertionsAtTheSameLineAreRefusedBecauseTheirOrderIsAmbiguous() =>
        Assert.Throws<ArgumentException>(() => HunkApplier.Apply(["a\n"], [new Hunk("h1", 1, [], ["x\n"]), new Hunk("h2", 1, [], ["y\n"])]));

    [Fact]
    public void SameHunkTwiceIsRefused()
    {
        var hunk = new Hunk("h1", 0, ["a\n"], ["b\n"]);
        Assert.Throws<ArgumentException>(() => HunkApplier.Apply(["a\n"], [hunk, hunk]));
    }

    [Fact]
    public void RandomDiffsApplyExactlyInFullNoneOrAnySubset()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 400; i++)
            {
                var baseLines = RandomLines.Next(random);
                var newLines = random.Next(2) == 0 ? RandomLines.Next(random) : RandomLines.Edit(random, baseLines);
                var hunks = HunkComputer.Compute(baseLines, newLines);
                string where = $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, new {RandomLines.Show(newLines)}";

                Assert.True(newLines.SequenceEqual(HunkApplier.Apply(baseLines, hunks)), $"all hunks, {where}");
                Assert.True(baseLines.SequenceEqual(HunkApplier.Apply(baseLines, [])), $"no hunks, {where}");

                // A partial approval, then diffing what is left, must still reach the new lines.
                var approved = hunks.Where(_ => random.Next(2) == 0).ToList();
                var middle = HunkApplier.Apply(baseLines, approved);
                Assert.True(newLines.SequenceEqual(HunkApplier.Apply(middle, HunkComputer.Compute(middle, newLines))), $"subset then diff, {where}");
            }
        });
    }
}
