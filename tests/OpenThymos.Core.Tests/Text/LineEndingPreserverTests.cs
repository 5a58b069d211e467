// Tests that full-file rewrites from agents keep the base file's line endings and final newline.
using System.Text;
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class LineEndingPreserverTests(ITestOutputHelper output)
{
    // Preserves the agent's text against the base text and compares the joined result.
    private static void Check(string baseText, string agentText, string expected) =>
        Assert.Equal(expected, string.Concat(LineEndingPreserver.Preserve(TextDocument.FromText(baseText), agentText)));

    [Fact] public void LfFileWithLfAgentIsUnchanged() => Check("a\nb\n", "a\nB\n", "a\nB\n");

    [Fact] public void CrlfFileWithLfAgentKeepsCrlfEverywhere() => Check("a\r\nb\r\nc\r\n", "a\nB\nc\nd\n", "a\r\nB\r\nc\r\nd\r\n");

    [Fact] public void CrlfFileWithNoChangesIsByteIdentical() => Check("a\r\nb\r\n", "a\nb\n", "a\r\nb\r\n");

    [Fact] public void ExplicitCrlfFromTheAgentIsKeptInAnLfFile() => Check("a\nb\n", "a\nX\r\n", "a\nX\r\n");

    [Fact] public void BareLfFromTheAgentStaysLfInAnLfFile() => Check("a\nb\n", "a\r\nX\n", "a\nX\n");

    [Fact] public void MixedFileKeepsEachUnchangedLinesOwnEnding() => Check("a\r\nb\nc\r\nd\r\n", "a\nb\nC\nd\n", "a\r\nb\nC\r\nd\r\n");

    [Fact] public void DroppedFinalNewlineOnAnUnchangedLastLineIsRestored() => Check("a\nb\n", "a\nb", "a\nb\n");

    [Fact] public void AddedFinalNewlineOnAnUnchangedLastLineIsRemoved() => Check("a\nb", "a\nb\n", "a\nb");

    [Fact] public void NewLastLineKeepsTheAgentsMissingNewline() => Check("a\nb\n", "a\nc", "a\nc");

    [Fact] public void NewLastLineKeepsTheAgentsNewline() => Check("a\nb", "a\nc\n", "a\nc\n");

    [Fact] public void LinesAddedAfterAnUnterminatedLastLineGetItATerminator() => Check("a\r\nb", "a\nb\nc", "a\r\nb\r\nc");

    [Fact] public void EmptyBaseTakesTheAgentTextAsIs() => Check("", "a\nb", "a\nb");

    [Fact] public void EmptyAgentTextEmptiesTheFile() => Check("a\r\n", "", "");

    [Fact] public void OneLineFileWithoutNewline() => Check("x", "x\n", "x");

    [Fact]
    public void Utf8BomFileKeepsItsBomAndCrlf()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("é\r\nb\r\n")).ToArray();
        var document = TextDocument.TryDecode(bytes)!;
        var text = HunkApplier.Join(LineEndingPreserver.Preserve(document, "é\nB\n"));
        Assert.Equal(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("é\r\nB\r\n")), document.Encode(text));
    }

    [Fact]
    public void Latin1FileRoundTripsUnchangedLinesByteForByte()
    {
        byte[] bytes = [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\r', (byte)'\n', (byte)'x'];
        var document = TextDocument.TryDecode(bytes)!;
        var text = HunkApplier.Join(LineEndingPreserver.Preserve(document, "café\nx\ny\n"));
        Assert.Equal([(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\r', (byte)'\n', (byte)'x', (byte)'\r', (byte)'\n', (byte)'y', (byte)'\r', (byte)'\n'], document.Encode(text));
    }

    [Fact]
    public void RandomAgentRewritesNeverAlterUnchangedLinesAndKeepTheirContent()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                var baseLines = RandomLines.Next(random);
                var edited = RandomLines.Edit(random, baseLines);

                // What an agent sends: the edited content, all with LF.
                string agentText = string.Concat(edited.Select(l => LineEndings.ContentOf(l) + (l.EndsWith('\n') ? "\n" : "")));
                var document = TextDocument.FromText(string.Concat(baseLines));
                var result = LineEndingPreserver.Preserve(document, agentText);
                string where = $"seed {seed}, case {i}: base {RandomLines.Show(baseLines)}, agent {RandomLines.Show(agentText)}, got {RandomLines.Show(result)}";

                Assert.True(edited.Select(LineEndings.ContentOf).SequenceEqual(result.Select(LineEndings.ContentOf)), where);

                // Sending the base back with LF endings is a no-op.
                string lfBase = string.Concat(baseLines.Select(l => LineEndings.ContentOf(l) + (l.EndsWith('\n') ? "\n" : "")));
                Assert.True(baseLines.SequenceEqual(LineEndingPreserver.Preserve(document, lfBase)), where);
            }
        });
    }
}
