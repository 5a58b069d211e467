// Tests that diffing line lists yields the expected hunks, terminators included.
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class HunkComputerTests(ITestOutputHelper output)
{
    // Diffs two texts (split into lines) and compares the hunks' compact forms, e.g. "h1@1 -["b\n"] +["B\n"]".
    private static void Check(string baseText, string newText, params string[] expected) =>
        Assert.Equal(expected, HunkComputer.Compute(TextDocument.SplitLines(baseText), TextDocument.SplitLines(newText)).Select(h => h.ToString()));

    [Fact] public void IdenticalTextsHaveNoHunks() => Check("a\nb\n", "a\nb\n");

    [Fact] public void EmptyTextsHaveNoHunks() => Check("", "");

    [Fact] public void ChangedLineIsOneHunk() => Check("a\nb\nc\n", "a\nB\nc\n", "h1@1 -[\"b\\n\"] +[\"B\\n\"]");

    [Fact] public void InsertionHasNoRemovedLines() => Check("a\nc\n", "a\nb\nc\n", "h1@1 -[] +[\"b\\n\"]");

    [Fact] public void DeletionHasNoAddedLines() => Check("a\nb\nc\n", "a\nc\n", "h1@1 -[\"b\\n\"] +[]");

    [Fact] public void SeparateChangesGetIdsInFileOrder() => Check("a\nb\nc\nd\n", "A\nb\nc\nD\n", "h1@0 -[\"a\\n\"] +[\"A\\n\"]", "h2@3 -[\"d\\n\"] +[\"D\\n\"]");

    [Fact] public void LineEndingChangeIsAChange() => Check("a\r\nb\r\n", "a\r\nb\n", "h1@1 -[\"b\\r\\n\"] +[\"b\\n\"]");

    [Fact] public void AddingAFinalNewlineChangesTheLastLine() => Check("a\nb", "a\nb\n", "h1@1 -[\"b\"] +[\"b\\n\"]");

    [Fact] public void NewFileIsOneInsertionAtZero() => Check("", "a\nb", "h1@0 -[] +[\"a\\n\", \"b\"]");

    [Fact] public void DeletedContentIsOneRemovalAtZero() => Check("a\n", "", "h1@0 -[\"a\\n\"] +[]");

    [Fact] public void OneLineFileReplaced() => Check("a", "b", "h1@0 -[\"a\"] +[\"b\"]");

    [Fact]
    public void HunksCompareByValue()
    {
        var one = new Hunk("h1", 2, ["a\n"], ["b\n"]);
        var two = new Hunk("h1", 2, new List<string> { "a\n" }, new List<string> { "b\n" });
        Assert.Equal(one, two);
        Assert.Equal(one.GetHashCode(), two.GetHashCode());
        Assert.NotEqual(one, two with { AddedLines = ["c\n"] });
        Assert.NotEqual(one, two with { Id = "h2" });
    }

    [Theory]
    [InlineData(40_000)]
    [InlineData(100_000)]
    public void ARewriteSharingNoLineWithTheFileIsOneWholeReplacementWithinTheStepBudget(int lines)
    {
        // Myers' cost is the product of the lines and the differences: at 40k lines this took many seconds and, under
        // the runtime's lock, blocked every other request. The measuring pass stops at the budget instead.
        var baseLines = Enumerable.Range(0, lines).Select(i => $"old line {i}\n").ToList();
        var newLines = Enumerable.Range(0, lines).Select(i => $"new line {i}\n").ToList();

        var (hunks, cost) = HunkComputer.ComputeMeasured(baseLines, newLines, HunkComputer.StepBudget);

        Assert.True(cost.WholeRegionReplaced);
        Assert.InRange(cost.Steps, HunkComputer.StepBudget, HunkComputer.StepBudget + (2L * lines) + 1);
        var hunk = Assert.Single(hunks);
        Assert.Equal((0, lines, lines), (hunk.BaseStart, hunk.RemovedLines.Count, hunk.AddedLines.Count));
        Assert.Equal(newLines, HunkApplier.Apply(baseLines, hunks));
    }

    [Fact]
    public void AWholeRegionReplacementKeepsTheCommonPrefixAndSuffixOutOfTheHunk()
    {
        var baseLines = new List<string> { "keep\n", "a\n", "b\n", "end\n" };
        var newLines = new List<string> { "keep\n", "x\n", "end\n" };

        var (hunks, cost) = HunkComputer.ComputeMeasured(baseLines, newLines, stepBudget: 0);

        Assert.True(cost.WholeRegionReplaced);
        Assert.Equal(["h1@1 -[\"a\\n\", \"b\\n\"] +[\"x\\n\"]"], hunks.Select(h => h.ToString()));
    }

    [Fact]
    public void AFewEditsInAFortyThousandLineFileStayOneSmallHunkEach()
    {
        var baseLines = Enumerable.Range(0, 40_000).Select(i => $"line {i}\n").ToList();
        var newLines = baseLines.ToList();
        newLines[10] = "changed 10\n";
        newLines.Insert(20_000, "inserted\n");
        newLines.RemoveAt(39_000);

        var (hunks, cost) = HunkComputer.ComputeMeasured(baseLines, newLines, HunkComputer.StepBudget);

        Assert.False(cost.WholeRegionReplaced);
        Assert.Equal(3, hunks.Count);
        Assert.All(hunks, hunk => Assert.True(hunk.RemovedLines.Count + hunk.AddedLines.Count <= 2, hunk.ToString()));
        Assert.Equal(newLines, HunkApplier.Apply(baseLines, hunks));
    }

    [Fact]
    public void ApplyingTheComputedHunksToTheBaseAlwaysGivesTheTargetWithinOrPastTheBudget()
    {
        TestSeeds.Run("THYMOS_HUNK_SEED", output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (var i = 0; i < 300; i++)
            {
                var baseLines = RandomLines.Next(random, maxLines: random.Next(2) == 0 ? 8 : 200);
                var newLines = random.Next(3) == 0 ? RandomLines.Next(random, maxLines: 200) : RandomLines.Edit(random, baseLines);
                string where = $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, new {RandomLines.Show(newLines)}";

                // The normal budget, one that runs out part way, and none at all (always the whole-region replacement).
                foreach (var budget in new[] { HunkComputer.StepBudget, random.Next(1, 400), 0L })
                {
                    var (hunks, cost) = HunkComputer.ComputeMeasured(baseLines, newLines, budget);
                    Assert.True(newLines.SequenceEqual(HunkApplier.Apply(baseLines, hunks)), $"budget {budget} (whole region replaced: {cost.WholeRegionReplaced}), {where}");
                    Assert.True(hunks.Count > 0 || baseLines.SequenceEqual(newLines), $"no hunks for different texts, {where}");
                }
            }
        });
    }
}
