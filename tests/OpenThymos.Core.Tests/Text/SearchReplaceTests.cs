// Tests that search/replace edits change only the matched region and refuse unclear edits.
using System.Text;
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class SearchReplaceTests(ITestOutputHelper output)
{
    // Applies (search, replace) pairs to the file text and expects the new text.
    private static void Check(string file, string expected, params (string Search, string Replace)[] blocks)
    {
        var result = SearchReplace.Apply(TextDocument.FromText(file), [.. blocks.Select(b => new SearchReplaceBlock(b.Search, b.Replace))]);
        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(expected, result.Text);
    }

    // Applies the blocks and expects the given failure message.
    private static void CheckFails(string file, string expectedMessage, params (string Search, string Replace)[] blocks)
    {
        var result = SearchReplace.Apply(TextDocument.FromText(file), [.. blocks.Select(b => new SearchReplaceBlock(b.Search, b.Replace))]);
        Assert.False(result.Succeeded);
        Assert.Equal(expectedMessage, result.Failure.Message);
    }

    [Fact] public void SingleMatchIsReplaced() => Check("a\nb\nc\n", "a\nB\nc\n", ("b\n", "B\n"));

    [Fact] public void MatchInsideALineIsReplaced() => Check("let x = 1;\n", "let x = 2;\n", ("= 1", "= 2"));

    [Fact] public void LfSearchMatchesACrlfFileAndOnlyTheMatchChanges() => Check("a\r\nb\r\nc\r\n", "a\r\nB\r\nX\r\nc\r\n", ("a\nb\n", "a\nB\nX\n"));

    [Fact] public void CrlfSearchMatchesAnLfFile() => Check("a\nb\nc\n", "a\nB\nc\n", ("a\r\nb\r\n", "a\nB\n"));

    [Fact] public void ReplacementKeepsLfInAnLfFile() => Check("a\nb\n", "a\nx\ny\n", ("b\n", "x\ny\n"));

    [Fact] public void ExplicitCrlfInTheReplacementIsKept() => Check("a\nb\n", "a\nx\r\n", ("b\n", "x\r\n"));

    [Fact] public void MixedFileKeepsUnmatchedEndings() => Check("a\r\nb\nc\r\nd\r\n", "a\r\nb\nC\r\nd\r\n", ("c\n", "C\n"));

    [Fact] public void MatchWithoutTrailingNewlineKeepsTheCrOfTheLine() => Check("a\r\nb\r\n", "a\r\nB\r\n", ("b", "B"));

    [Fact] public void MissingFinalNewlineStaysMissing() => Check("a\nb", "a\nB", ("b", "B"));

    [Fact] public void ReplacingWithNothingDeletes() => Check("a\nb\nc\n", "a\nc\n", ("b\n", ""));

    [Fact] public void BlocksApplyInSequenceToTheEvolvingText() => Check("a\nb\n", "c\nb\n", ("a", "x"), ("x", "c"));

    [Fact] public void OneLineFileIsReplacedWhole() => Check("x", "y", ("x", "y"));

    [Fact] public void EmptySearchIsRefused() => CheckFails("a\n", "Search block 1 has empty search text; copy the exact lines to replace from the file.", ("", "x"));

    [Fact] public void SearchBlockMatchingNothingIsRefused() => CheckFails("a\nb\n", "Search block 2 matched 0 places in the file; re-read the file and resend the edit with text copied from it.", ("a", "A"), ("z", "Z"));

    [Fact] public void SearchBlockMatchingTwiceIsRefused() => CheckFails("x\ny\nx\n", "Search block 1 matched 2 places in the file; include more surrounding lines so it matches exactly one.", ("x", "z"));

    [Fact] public void OverlappingOccurrencesCountAsAmbiguous() => CheckFails("aaa", "Search block 1 matched 2 places in the file; include more surrounding lines so it matches exactly one.", ("aa", "b"));

    [Fact] public void SearchOnEmptyFileIsNotFound() => CheckFails("", "Search block 1 matched 0 places in the file; re-read the file and resend the edit with text copied from it.", ("a", "b"));

    [Fact]
    public void FailureReportsIndexKindAndCount()
    {
        var result = SearchReplace.Apply(TextDocument.FromText("x x x"), [new SearchReplaceBlock("x", "y")]);
        Assert.Equal(new SearchReplaceFailure(0, SearchReplaceFailureKind.Ambiguous, 3), result.Failure);
    }

    [Fact]
    public void Utf16CrlfFileWritesBackOnlyTheEditedBytes()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("one\r\ntwo\r\n")).ToArray();
        var document = TextDocument.TryDecode(bytes)!;
        var result = SearchReplace.Apply(document, [new SearchReplaceBlock("two\n", "2\n")]);
        Assert.Equal(new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("one\r\n2\r\n")), document.Encode(result.Text!));
    }

    [Fact]
    public void RandomEditsOfUniqueLinesLeaveTheRestByteExact()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                // Unique lines so a one-line search always matches once; random LF/CRLF endings.
                int count = random.Next(1, 8);
                var lines = Enumerable.Range(0, count).Select(n => $"line{n}" + (random.Next(2) == 0 ? "\r\n" : "\n")).ToList();
                int target = random.Next(count);
                string file = string.Concat(lines);
                var result = SearchReplace.Apply(TextDocument.FromText(file), [new SearchReplaceBlock($"line{target}\n", "new\n")]);

                string dominant = LineEndings.DominantOf(lines);
                string expected = string.Concat(lines.Select((l, n) => n == target ? "new" + dominant : l));
                Assert.True(expected == result.Text, $"seed {seed}, case {i}: file {RandomLines.Show(file)}, target {target}, got {RandomLines.Show(result.Text ?? "")}");
            }
        });
    }
}
