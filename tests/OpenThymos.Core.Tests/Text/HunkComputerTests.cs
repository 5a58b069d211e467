// Tests that diffing line lists yields the expected hunks, terminators included.
using OpenThymos.Core.Text;
using Xunit;

namespace OpenThymos.Core.Tests.Text;

public class HunkComputerTests
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
}
