// VisibleText over a table of cases: each kind of hostile code point becomes a marker, normal text passes unchanged.
using OpenThymos.Core.Text;
using Xunit;

namespace OpenThymos.Core.Tests.Text;

public sealed class VisibleTextTests
{
    [Theory]
    [InlineData("\u001b[1A\u001b[2Kecho", "<U+001B>[1A<U+001B>[2Kecho", "U+001B")] // ESC and CSI cursor movement and erase
    [InlineData("\u001b]0;title\u0007", "<U+001B>]0;title<U+0007>", "U+0007 U+001B")] // OSC terminated by BEL
    [InlineData("a\u0000b\u0008c", "a<U+0000>b<U+0008>c", "U+0000 U+0008")] // NUL and backspace
    [InlineData("a\u007fb", "a<U+007F>b", "U+007F")] // DEL
    [InlineData("a\u009b31mb\u0085c", "a<U+009B>31mb<U+0085>c", "U+0085 U+009B")] // C1 CSI and NEL
    [InlineData("rm -rf /\rls", "rm -rf /<U+000D>ls", "U+000D")] // a carriage return that would overwrite the line start
    [InlineData("a\u202Eb\u202Ac", "a<U+202E>b<U+202A>c", "U+202A U+202E")] // bidirectional embeddings and overrides
    [InlineData("\u2066x\u2067y\u2068z\u2069", "<U+2066>x<U+2067>y<U+2068>z<U+2069>", "U+2066 U+2067 U+2068 U+2069")] // isolates
    [InlineData("a\u200Eb\u200Fc\u061Cd", "a<U+200E>b<U+200F>c<U+061C>d", "U+061C U+200E U+200F")] // marks
    [InlineData("pass\u200Bword\u200Cx\uFEFF", "pass<U+200B>word<U+200C>x<U+FEFF>", "U+200B U+200C U+FEFF")] // zero-width
    [InlineData("soft\u00ADhy\u2060phen\u2061\u2062\u2063\u2064", "soft<U+00AD>hy<U+2060>phen<U+2061><U+2062><U+2063><U+2064>", "U+00AD U+2060 U+2061 U+2062 U+2063 U+2064")]
    [InlineData("tag\U000E0001\U000E0041\U000E007F", "tag<U+E0001><U+E0041><U+E007F>", "U+E0001 U+E0041 U+E007F")] // tag characters (ASCII smuggling)
    [InlineData("x\u3164y\u115Fz\u034Fw", "x<U+3164>y<U+115F>z<U+034F>w", "U+034F U+115F U+3164")] // fillers and the combining grapheme joiner
    [InlineData("line\u2028sep\u2029", "line<U+2028>sep<U+2029>", "U+2028 U+2029")] // line and paragraph separators
    [InlineData("a\u200Db", "a<U+200D>b", "U+200D")] // a zero-width joiner outside an emoji sequence
    [InlineData("e\u0301\u0301\u0301\u0301\u0301\u0301", "e\u0301\u0301\u0301\u0301<U+0301><U+0301>", "U+0301")] // marks stacked past the limit
    public void HostileCodePointsBecomeMarkersAndAreReported(string text, string shown, string replaced) =>
        Check(text, VisibleTextLayout.SingleLine, shown, replaced);

    [Theory]
    [InlineData("café é", "é decomposed: e\u0301")]
    [InlineData("漢字かなカナ 한국어 العربية עברית", "Ελληνικά кириллица")]
    [InlineData("emoji 😀 ❤️ 👍🏽 1️⃣ 🇫🇷", "a family 👨\u200D👩\u200D👧 and 🏳️\u200D🌈")]
    [InlineData("ideographic variant 葛\U000E0100", "math 𝔸 and symbols ∀ → ≠ «»")]
    [InlineData("", "plain ASCII with <angle> brackets and \\u001b written as text")]
    public void NormalUnicodePassesUnchanged(string first, string second)
    {
        foreach (var text in new[] { first, second })
        {
            Check(text, VisibleTextLayout.SingleLine, text, "");
            Check(text, VisibleTextLayout.MultiLine, text, "");
        }
    }

    [Theory]
    [InlineData("a\tb\nc", VisibleTextLayout.MultiLine, "a\tb\nc", "")]
    [InlineData("a\r\nb", VisibleTextLayout.MultiLine, "a\nb", "")]
    [InlineData("a\rb", VisibleTextLayout.MultiLine, "a<U+000D>b", "U+000D")]
    [InlineData("a\tb\nc", VisibleTextLayout.SingleLine, "a<U+0009>b<U+000A>c", "U+0009 U+000A")]
    [InlineData("a\r\nb", VisibleTextLayout.SingleLine, "a<U+000D><U+000A>b", "U+000A U+000D")]
    public void TabAndLineFeedAreKeptOnlyWhereTheTextMaySpanLines(string text, VisibleTextLayout layout, string shown, string replaced) =>
        Check(text, layout, shown, replaced);

    [Fact]
    public void HiddenCharactersInLinesIgnoreLineTerminatorsAndTabsAndListEachCodePointOnceInOrder()
    {
        var found = VisibleText.HiddenCharactersInLines(["\tok\r\n", "a\u202Eb\n", "\U000E0041\u202E\r", "\u001b[2K\n", "plain"]);

        Assert.Equal(["U+001B", "U+202E", "U+E0041"], found);
        Assert.Empty(VisibleText.HiddenCharactersInLines(["\tindented\r\n", "é 漢字 😀\n", "last"]));
    }

    // A Fact, not a row of the table: the test runner replaces lone surrogates in serialized theory data.
    [Fact]
    public void UnpairedSurrogatesBecomeMarkers()
    {
        Check("a\uD800b", VisibleTextLayout.SingleLine, "a<U+D800>b", "U+D800");
        Check("\uDC00\uD800", VisibleTextLayout.MultiLine, "<U+DC00><U+D800>", "U+D800 U+DC00");
    }

    [Fact]
    public void NullAndEmptyTextRenderAsEmpty()
    {
        Assert.Equal("", VisibleText.Line(null));
        Assert.Equal("", VisibleText.Block(""));
        Assert.False(VisibleText.Render(null, VisibleTextLayout.MultiLine).HadHiddenCharacters);
    }

    private static void Check(string text, VisibleTextLayout layout, string shown, string replaced)
    {
        var result = VisibleText.Render(text, layout);
        Assert.Equal(shown, result.Text);
        Assert.Equal(replaced, string.Join(' ', result.Replaced));
        Assert.Equal(replaced.Length > 0, result.HadHiddenCharacters);
    }
}
