// Tests rebasing pending hunks over an external edit, and shifting them past applied hunks.
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class ThreeWayMergeTests(ITestOutputHelper output)
{
    // "Mine" is the agent's proposal, "theirs" the external edit; each line is one character.
    // Expects the merged text from the rebased hunks and the ids of the conflicting hunks.
    private static void Check(string baseText, string mine, string theirs, string expectedMerge, params string[] expectedConflicts)
    {
        var baseLines = Lines(baseText);
        var changed = Lines(theirs);
        var pending = HunkComputer.Compute(baseLines, Lines(mine));
        var result = ThreeWayMerge.Rebase(baseLines, changed, pending);
        Assert.Equal(Lines(expectedMerge), HunkApplier.Apply(changed, result.Rebased));
        Assert.Equal(expectedConflicts, result.Conflicting.Select(h => h.Id));
    }

    // "abc" -> ["a\n", "b\n", "c\n"], so cases fit on one line.
    private static List<string> Lines(string letters) => [.. letters.Select(c => c + "\n")];

    [Fact] public void EditsFarApartBothSurvive() => Check("abcdefg", "Abcdefg", "abcdefG", "AbcdefG");

    [Fact] public void ExternalInsertionBeforeShiftsMyHunkDown() => Check("abcdefg", "abcdefG", "xyabcdefg", "xyabcdefG");

    [Fact] public void ExternalDeletionBeforeShiftsMyHunkUp() => Check("abcdefg", "abcdefG", "adefg", "adefG");

    [Fact] public void ExternalEditAfterLeavesMyHunkInPlace() => Check("abcdefg", "Abcdefg", "abcdxyz", "Abcdxyz");

    [Fact] public void OverlappingEditsConflict() => Check("abcdefg", "abCdefg", "abcXefg", "abcXefg", "h1");

    [Fact] public void SameLineEditedTwiceConflicts() => Check("abcdefg", "abcDefg", "abcXefg", "abcXefg", "h1");

    [Fact] public void AdjacentEditsConflict() => Check("abcdefg", "abCdefg", "abcDefg", "abcDefg", "h1");

    [Fact] public void InsertionsAtTheSamePlaceConflict() => Check("abcd", "abXcd", "abYcd", "abYcd", "h1");

    [Fact] public void OnlyTheCollidingHunkConflicts() => Check("abcdefghij", "Abcdefghij".Replace("f", "F", StringComparison.Ordinal), "abcdeXghij", "AbcdeXghij", "h2");

    [Fact] public void NoExternalChangeRebasesEverything() => Check("abc", "aXc", "abc", "aXc");

    [Fact]
    public void RevertingAnOldCommitOverLaterEditsKeepsTheLaterEdits()
    {
        // The commit turned "abc" into "aXc"; later someone appended "d". Revert = rebase the inverse.
        var revert = HunkComputer.Compute(Lines("aXc"), Lines("abc"));
        var result = ThreeWayMerge.Rebase(Lines("aXc"), Lines("aXcde"), revert);
        Assert.Equal(Lines("abcde"), HunkApplier.Apply(Lines("aXcde"), result.Rebased));
    }

    [Fact]
    public void ConflictNamesTheExternalRegionInBothVersions()
    {
        var conflict = Assert.Single(ThreeWayMerge.Rebase(Lines("abcdefg"), Lines("abXYZdefg"), HunkComputer.Compute(Lines("abcdefg"), Lines("abCdefg"))).Conflicts);
        Assert.Equal((2, 1, 2, 3), (conflict.ExternalBaseStart, conflict.ExternalBaseCount, conflict.ChangedStart, conflict.ChangedCount));
    }

    [Fact]
    public void RebasedHunksKeepTheirIds()
    {
        var result = ThreeWayMerge.Rebase(Lines("abcdef"), Lines("xabcdef"), HunkComputer.Compute(Lines("abcdef"), Lines("aBcdeF")));
        Assert.Equal(["h1", "h2"], result.Rebased.Select(h => h.Id));
        Assert.Equal([2, 6], result.Rebased.Select(h => h.BaseStart));
        Assert.True(result.IsClean);
    }

    [Fact]
    public void PendingHunkFromAnotherBaseIsRefused() =>
        Assert.Throws<ArgumentException>(() => ThreeWayMerge.Rebase(Lines("ab"), Lines("ab"), [new Hunk("h1", 0, ["z\n"], [])]));

    // Applies the hunks named in `first`, shifts the rest, and expects them to finish the job.
    private static void CheckShift(string baseText, string newText, params string[] first)
    {
        var baseLines = Lines(baseText);
        var hunks = HunkComputer.Compute(baseLines, Lines(newText));
        var applied = hunks.Where(h => first.Contains(h.Id)).ToList();
        var rest = ThreeWayMerge.Shift([.. hunks.Except(applied)], applied);
        Assert.Equal(Lines(newText), HunkApplier.Apply(HunkApplier.Apply(baseLines, applied), rest));
    }

    [Fact] public void ShiftPastAnEarlierInsertion() => CheckShift("abcdef", "aXYbcdeF", "h1");

    [Fact] public void ShiftPastAnEarlierDeletion() => CheckShift("abcdef", "adeF", "h1");

    [Fact] public void ShiftIgnoresLaterHunks() => CheckShift("abcdef", "Abcdxyzf", "h2");

    [Fact] public void ShiftWithNothingAppliedChangesNothing() => CheckShift("abcdef", "AbcdeF");

    [Fact]
    public void ShiftRefusesAPendingHunkThatOverlapsAnAppliedOne()
    {
        var hunk = new Hunk("h1", 1, ["b\n"], []);
        Assert.Throws<ArgumentException>(() => ThreeWayMerge.Shift([hunk], [hunk with { Id = "h2" }]));
    }

    [Fact]
    public void RandomPartialApprovalsShiftCorrectly()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                var baseLines = RandomLines.Next(random);
                var newLines = RandomLines.Edit(random, baseLines);
                var hunks = HunkComputer.Compute(baseLines, newLines);
                var applied = hunks.Where(_ => random.Next(2) == 0).ToList();
                var rest = ThreeWayMerge.Shift([.. hunks.Except(applied)], applied);
                var result = HunkApplier.Apply(HunkApplier.Apply(baseLines, applied), rest);
                Assert.True(newLines.SequenceEqual(result), $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, new {RandomLines.Show(newLines)}, got {RandomLines.Show(result)}");
            }
        });
    }

    [Fact]
    public void RandomRebasesMatchApplyingBothSidesToTheBase()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                var baseLines = RandomLines.Next(random, 12);
                var mine = RandomLines.Edit(random, baseLines);
                var theirs = RandomLines.Edit(random, baseLines);
                var pending = HunkComputer.Compute(baseLines, mine);
                var result = ThreeWayMerge.Rebase(baseLines, theirs, pending);
                string where = $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, mine {RandomLines.Show(mine)}, theirs {RandomLines.Show(theirs)}";

                // Rebased and external hunks never touch, so applying both to the base is the merge.
                var expected = HunkApplier.Apply(baseLines, HunkComputer.Compute(baseLines, theirs).Concat(pending.Where(h => !result.Conflicting.Contains(h))));
                Assert.True(expected.SequenceEqual(HunkApplier.Apply(theirs, result.Rebased)), where);
                Assert.Equal(pending.Count, result.Rebased.Count + result.Conflicting.Count);
            }
        });
    }
}
