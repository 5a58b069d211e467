// Tests that unified diffs apply at the right place, keep untouched bytes, and fail clearly.
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class UnifiedDiffTests(ITestOutputHelper output)
{
    // Applies the diff (lines given separately, joined with "\n") and expects the new text.
    private static void Check(string file, string expected, params string[] diffLines)
    {
        var result = UnifiedDiff.Apply(TextDocument.FromText(file), string.Join("\n", diffLines) + "\n");
        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(expected, result.Text);
    }

    // Applies the diff and expects the failure message and hunk index.
    private static void CheckFails(string file, int? hunkIndex, string expectedMessage, params string[] diffLines)
    {
        var result = UnifiedDiff.Apply(TextDocument.FromText(file), string.Join("\n", diffLines) + "\n");
        Assert.False(result.Succeeded);
        Assert.Equal(new UnifiedDiffFailure(hunkIndex, expectedMessage), result.Failure);
    }

    [Fact] public void SimpleReplacement() => Check("a\nb\nc\n", "a\nB\nc\n", "@@ -1,3 +1,3 @@", " a", "-b", "+B", " c");

    [Fact] public void GitHeadersAreIgnored() => Check("a\nb\n", "a\nB\n", "diff --git a/f b/f", "index 1234..5678 100644", "--- a/f", "+++ b/f", "@@ -1,2 +1,2 @@", " a", "-b", "+B");

    [Fact] public void OmittedCountsMeanOne() => Check("a\nb\nc\n", "a\nB\nc\n", "@@ -2 +2 @@", "-b", "+B");

    [Fact] public void TextAfterTheHeaderIsIgnored() => Check("a\nb\n", "a\nB\n", "@@ -2 +2 @@ void Main()", "-b", "+B");

    [Fact] public void PureInsertionAfterALine() => Check("a\nc\n", "a\nb\nc\n", "@@ -1,0 +2 @@", "+b");

    [Fact] public void InsertionIntoAnEmptyFile() => Check("", "a\nb\n", "--- /dev/null", "+++ b/f", "@@ -0,0 +1,2 @@", "+a", "+b");

    [Fact] public void DeletionOfEverything() => Check("a\nb\n", "", "@@ -1,2 +0,0 @@", "-a", "-b");

    [Fact] public void CrlfFileKeepsContextBytesAndGetsCrlfForAddedLines() => Check("a\r\nb\r\nc\r\n", "a\r\nB\r\nX\r\nc\r\n", "@@ -1,3 +1,4 @@", " a", "-b", "+B", "+X", " c");

    [Fact] public void MixedFileKeepsEachContextLinesEnding() => Check("a\nb\r\nc\n", "a\nb\r\nC\n", "@@ -1,3 +1,3 @@", " a", " b", "-c", "+C");

    [Fact] public void BareEmptyLineIsEmptyContext() => Check("a\n\nb\n", "a\n\nB\n", "@@ -1,3 +1,3 @@", " a", "", "-b", "+B");

    [Fact] public void TrailingBlankLinesAfterTheLastHunkAreIgnored() => Check("a\nb\n", "a\nB\n", "@@ -2 +2 @@", "-b", "+B", "", "");

    [Fact] public void NoNewlineMarkerOnAnAddedLineLeavesItUnterminated() => Check("a\nb\n", "a\nB", "@@ -2 +2 @@", "-b", "+B", "\\ No newline at end of file");

    [Fact] public void AddingAFinalNewline() => Check("a\nb", "a\nb\n", "@@ -2 +2 @@", "-b", "\\ No newline at end of file", "+b");

    [Fact] public void ContextWithoutFinalNewlineStaysWithout() => Check("a\nb", "A\nb", "@@ -1,2 +1,2 @@", "-a", "+A", " b", "\\ No newline at end of file");

    [Fact] public void AppendingAfterAnUnterminatedLastLineTerminatesIt() => Check("a\r\nb", "a\r\nb\r\nc\r\n", "@@ -2 +2,2 @@", "-b", "\\ No newline at end of file", "+b", "+c");

    [Fact] public void OneLineFileReplaced() => Check("x", "y\n", "@@ -1 +1 @@", "-x", "\\ No newline at end of file", "+y");

    [Fact] public void LfDiffContextMatchesCrlfFile() => Check("a\r\nb\r\n", "a\r\nb\r\nc\r\n", "@@ -1,2 +1,3 @@", " a", " b", "+c");

    [Fact] public void HunkBelowItsStatedLineIsFound() => Check("x\ny\na\nb\nc\n", "x\ny\na\nB\nc\n", "@@ -1,3 +1,3 @@", " a", "-b", "+B", " c");

    [Fact] public void HunkAboveItsStatedLineIsFound() => Check("a\nb\nc\n", "a\nB\nc\n", "@@ -7,3 +7,3 @@", " a", "-b", "+B", " c");

    [Fact] public void NearestOfSeveralMatchesWins() => Check("k\nz\nk\nz\nk\nz\n", "k\nz\nk\nZ\nk\nz\n", "@@ -4 +4 @@", "-z", "+Z");

    [Fact] public void DriftCarriesToLaterHunks() => Check("p\np\na\nb\nq\nc\nd\n", "p\np\na\nB\nq\nc\nD\n", "@@ -1,2 +1,2 @@", " a", "-b", "+B", "@@ -4,2 +4,2 @@", " c", "-d", "+D");

    [Fact] public void UndercountedBodyIsAcceptedAsWritten() => Check("a\nb\nc\n", "a\nB\nc\n", "@@ -1,1 +1,1 @@", " a", "-b", "+B", " c");

    [Fact] public void OvercountedBodyIsAcceptedAsWritten() => Check("a\nb\nc\n", "a\nB\nc\n", "@@ -1,9 +1,9 @@", " a", "-b", "+B");

    [Fact] public void CrlfDiffLinesAddCrlfLinesToAnLfFile() => Assert.Equal("a\r\nb\n", UnifiedDiff.Apply(TextDocument.FromText("b\n"), "@@ -0,0 +1 @@\r\n+a\r\n").Text);

    [Fact] public void EmptyDiffIsRefused() => CheckFails("a\n", null, "The diff has no hunks; expected at least one section starting with '@@ -start,count +start,count @@'.", "");

    [Fact] public void HeadersWithoutHunksAreRefused() => CheckFails("a\n", null, "The diff has no hunks; expected at least one section starting with '@@ -start,count +start,count @@'.", "--- a/f", "+++ b/f");

    [Fact] public void MalformedHeaderIsRefused() => CheckFails("a\n", null, "Line 1 of the diff is a malformed hunk header: '@@ -1 +1'; expected '@@ -start,count +start,count @@'.", "@@ -1 +1", "-a");

    [Fact] public void TextBeforeTheFirstHunkIsRefused() => CheckFails("a\n", null, "Line 1 of the diff ('Here is the fix:') comes before any hunk; a unified diff's hunks start with '@@ -start,count +start,count @@'.", "Here is the fix:", "@@ -1 +1 @@", "-a", "+b");

    [Fact] public void StrayLineInsideAHunkIsRefused() => CheckFails("a\n", 0, "Line 3 of the diff ('oops') in hunk 1 (@@ -1 +1 @@) does not start with ' ', '-' or '+'.", "@@ -1 +1 @@", "-a", "oops");

    [Fact] public void SecondFileIsRefused() => CheckFails("a\n", null, "The diff changes more than one file; send a separate diff for each file.", "@@ -1 +1 @@", "-a", "+b", "--- a/g", "+++ b/g", "@@ -1 +1 @@", "-x", "+y");

    [Fact] public void GitHeaderOfASecondFileInsideAnUnfinishedHunkIsRefused() => CheckFails("a\n", null, "The diff changes more than one file; send a separate diff for each file.", "@@ -1,2 +1,2 @@", "-a", "diff --git a/g b/g");

    [Fact] public void RemovedLineThatLooksLikeAHeaderIsStillARemoval() => Check("-- x\nk\n", "++ y\nk\n", "@@ -1,2 +1,2 @@", "--- x", "+++ y", " k");

    [Fact] public void HunkWithNoLinesIsRefused() => CheckFails("a\n", 0, "Hunk 1 (@@ -1,0 +1,0 @@) has no lines.", "@@ -1,0 +1,0 @@");

    [Fact] public void HunkThatMatchesNowhereIsRefusedWithItsNumberAndHeader() => CheckFails("a\nb\n", 1, "Hunk 2 (@@ -2 +2 @@) does not match the file: its context and removed lines were not found at line 2 or anywhere after hunk 1; re-read the file and resend the diff.", "@@ -1 +1 @@", "-a", "+A", "@@ -2 +2 @@", "-zzz", "+b");

    [Fact] public void FirstHunkThatMatchesNowhereSaysAnywhereInTheFile() => CheckFails("a\n", 0, "Hunk 1 (@@ -1 +1 @@) does not match the file: its context and removed lines were not found at line 1 or anywhere in the file; re-read the file and resend the diff.", "@@ -1 +1 @@", "-q", "+b");

    [Fact] public void HunksMayNotMatchBeforeThePreviousOne() => CheckFails("a\nb\n", 1, "Hunk 2 (@@ -1 +1 @@) does not match the file: its context and removed lines were not found at line 1 or anywhere after hunk 1; re-read the file and resend the diff.", "@@ -2 +2 @@", "-b", "+B", "@@ -1 +1 @@", "-a", "+A");

    [Fact]
    public void RandomDiffsRenderedFromHunksApplyExactly()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                var baseLines = RandomLines.Next(random);
                var newLines = RandomLines.Edit(random, baseLines);
                var hunks = HunkComputer.Compute(baseLines, newLines);
                if (hunks.Count == 0)
                {
                    continue;
                }

                var document = TextDocument.FromText(string.Concat(baseLines));
                var result = UnifiedDiff.Apply(document, Render(hunks));

                // Added LF lines take the file's dominant ending; everything else is exact.
                var expected = HunkApplier.Join(HunkApplier.Apply(baseLines, hunks.Select(h => h with { AddedLines = [.. h.AddedLines.Select(l => LineEndings.ToDominant(l, document.DominantLineEnding))] })), document.DominantLineEnding);
                Assert.True(expected == result.Text, $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, new {RandomLines.Show(newLines)}, got {result.Text ?? result.Failure?.Message}");
            }
        });
    }

    // Renders hunks as a zero-context unified diff, keeping each line's own terminator.
    private static string Render(IEnumerable<Hunk> hunks)
    {
        var builder = new System.Text.StringBuilder("--- a/file\n+++ b/file\n");
        foreach (var hunk in hunks)
        {
            int oldStart = hunk.BaseCount == 0 ? hunk.BaseStart : hunk.BaseStart + 1;
            builder.Append($"@@ -{oldStart},{hunk.BaseCount} +1,{hunk.AddedLines.Count} @@\n");
            foreach (var (marker, line) in hunk.RemovedLines.Select(l => ('-', l)).Concat(hunk.AddedLines.Select(l => ('+', l))))
            {
                builder.Append(marker).Append(line);
                if (!line.EndsWith('\n'))
                {
                    builder.Append("\n\\ No newline at end of file\n");
                }
            }
        }

        return builder.ToString();
    }
}
