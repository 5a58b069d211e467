// Canonical JSON: one byte form per value.
using System.Text;
using OpenThymos.Core.Ledger;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class CanonicalJsonTests
{
    private static void Check(string input, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input))));

    [Fact]
    public void KeysAreSortedByOrdinalOrder() => Check("""{"b":1,"a":2,"B":3,"é":4}""", """{"B":3,"a":2,"b":1,"é":4}""");

    [Fact]
    public void WhitespaceIsRemoved() => Check("{ \"a\" : [ 1 , 2 ] ,\n \"b\" : null }", """{"a":[1,2],"b":null}""");

    [Fact]
    public void NonAsciiIsWrittenRaw() => Check("\"caf\\u00e9 \\u2603\"", "\"café ☃\"");

    [Fact]
    public void ControlCharactersUseShortOrLowercaseEscapes() => Check("\"\\t\\n\\r\\b\\f\\u0001\\u001F\"", "\"\\t\\n\\r\\b\\f\\u0001\\u001f\"");

    [Fact]
    public void SlashAndHtmlCharactersAreNotEscaped() => Check("\"<a href=\\/x>&+'\"", "\"<a href=/x>&+'\"");

    [Fact]
    public void IntegersArePlain() => Check("[0,-12,1767225600000]", "[0,-12,1767225600000]");

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("\"\\ud800\"")]
    public void ValuesWithoutACanonicalFormAreRefused(string input) =>
        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));

    [Fact]
    public void InvalidUtf8IsRefused() => Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize([0x22, 0xC3, 0x22]));

    [Fact]
    public void CanonicalBytesAreRecognizedAndOthersAreNot()
    {
        Assert.True(CanonicalJson.IsCanonical("""{"a":1}"""u8));
        Assert.False(CanonicalJson.IsCanonical("""{ "a": 1 }"""u8));
        Assert.False(CanonicalJson.IsCanonical([0xFF]));
    }
}
