// Tests that decoding recognises each supported encoding and that re-encoding is byte-exact.
using System.Text;
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

public class TextDocumentTests(ITestOutputHelper output)
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // Decodes the bytes, checks the detected encoding and text, and checks they encode back exactly.
    private static void Check(byte[] bytes, TextEncodingKind encoding, string text)
    {
        var document = TextDocument.TryDecode(bytes);
        Assert.NotNull(document);
        Assert.Equal(encoding, document.Encoding);
        Assert.Equal(text, document.Text);
        Assert.Equal(bytes, document.Encode(document.Text));
    }

    private static byte[] Bytes(params int[] values) => values.Select(v => (byte)v).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact] public void PlainAsciiIsUtf8WithoutBom() => Check(Encoding.UTF8.GetBytes("a\nb\n"), TextEncodingKind.Utf8, "a\nb\n");

    [Fact] public void MultiByteUtf8IsUtf8() => Check(Encoding.UTF8.GetBytes("héllo → 世界 🎉\r\n"), TextEncodingKind.Utf8, "héllo → 世界 🎉\r\n");

    [Fact] public void Utf8BomIsKeptOutOfTheTextAndWrittenBack() => Check(Concat(Utf8Bom, Encoding.UTF8.GetBytes("x\r\n")), TextEncodingKind.Utf8Bom, "x\r\n");

    [Fact] public void Utf16LittleEndianWithBomDecodesDespiteItsNulBytes() => Check(Concat(Bytes(0xFF, 0xFE), Encoding.Unicode.GetBytes("hi\r\n")), TextEncodingKind.Utf16LeBom, "hi\r\n");

    [Fact] public void Utf16BigEndianWithBomDecodes() => Check(Concat(Bytes(0xFE, 0xFF), Encoding.BigEndianUnicode.GetBytes("hé\n")), TextEncodingKind.Utf16BeBom, "hé\n");

    [Fact] public void LoneE9ByteIsLatin1() => Check(Bytes('c', 'a', 'f', 0xE9, '\n'), TextEncodingKind.Latin1, "café\n");

    [Fact] public void Windows1252QuotesRoundTripAsLatin1() => Check(Bytes(0x93, 'q', 0x94, 0x80, '\r', '\n'), TextEncodingKind.Latin1, "\u0093q\u0094\u0080\r\n");

    [Fact] public void Utf8BomFollowedByInvalidUtf8FallsBackToLatin1() => Check(Concat(Utf8Bom, Bytes(0xE9)), TextEncodingKind.Latin1, "ï»¿é");

    [Fact] public void EmptyFileIsEmptyUtf8Text() => Check([], TextEncodingKind.Utf8, "");

    [Fact]
    public void NulByteMeansBinary() => Assert.Null(TextDocument.TryDecode(Bytes('a', 0, 'b')));

    [Fact]
    public void NulByteAfterTheFirst8000BytesIsStillText()
    {
        var bytes = Enumerable.Repeat((byte)'a', 8001).Append((byte)0).ToArray();
        Assert.Equal(TextEncodingKind.Utf8, TextDocument.TryDecode(bytes)?.Encoding);
    }

    [Fact]
    public void PngHeaderIsBinary() => Assert.Null(TextDocument.TryDecode(Bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D)));

    [Fact]
    public void Utf16BomWithOddByteCountIsBinary() => Assert.Null(TextDocument.TryDecode(Bytes(0xFF, 0xFE, 'a', 0, 'b')));

    [Fact]
    public void Utf16BomWithUnpairedSurrogateIsBinary() => Assert.Null(TextDocument.TryDecode(Bytes(0xFF, 0xFE, 0x00, 0xD8, 'a', 0)));

    [Fact]
    public void EveryRandomByteStringWithoutNulEitherRoundTripsOrIsRefused()
    {
        TestSeeds.Run(RandomLines.SeedVariable, output.WriteLine, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 300; i++)
            {
                var bytes = new byte[random.Next(40)];
                random.NextBytes(bytes);
                var document = TextDocument.TryDecode(bytes);
                if (document is not null)
                {
                    Assert.True(bytes.AsSpan().SequenceEqual(document.Encode(document.Text)), $"seed {seed}, case {i}: {Convert.ToHexString(bytes)}");
                }
                else
                {
                    Assert.True(bytes.Contains((byte)0) || bytes.AsSpan().StartsWith(Bytes(0xFF, 0xFE)) || bytes.AsSpan().StartsWith(Bytes(0xFE, 0xFF)), $"seed {seed}, case {i}: {Convert.ToHexString(bytes)} refused");
                }
            }
        });
    }

    // Lines keep their own terminators; the last may lack one.
    private static void CheckLines(string text, params string[] lines) => Assert.Equal(lines, TextDocument.SplitLines(text));

    [Fact] public void EmptyTextHasNoLines() => CheckLines("");

    [Fact] public void OneLineWithoutNewlineIsOneLine() => CheckLines("a", "a");

    [Fact] public void OneLineWithNewlineIsOneLine() => CheckLines("a\n", "a\n");

    [Fact] public void MixedEndingsStayOnTheirLines() => CheckLines("a\r\nb\nc", "a\r\n", "b\n", "c");

    [Fact] public void LoneCarriageReturnIsNotATerminator() => CheckLines("a\rb\n", "a\rb\n");

    [Fact] public void BlankLinesAreLines() => CheckLines("\n\r\n", "\n", "\r\n");

    private static void CheckDominant(string text, string expected) => Assert.Equal(expected, TextDocument.FromText(text).DominantLineEnding);

    [Fact] public void MostlyCrlfIsCrlfDominant() => CheckDominant("a\r\nb\r\nc\n", "\r\n");

    [Fact] public void MostlyLfIsLfDominant() => CheckDominant("a\nb\nc\r\n", "\n");

    [Fact] public void TieIsLfDominant() => CheckDominant("a\nb\r\n", "\n");

    [Fact] public void NoTerminatorIsLfDominant() => CheckDominant("a", "\n");

    [Fact]
    public void EndsWithNewlineReflectsTheLastByte()
    {
        Assert.True(TextDocument.FromText("a\r\n").EndsWithNewline);
        Assert.False(TextDocument.FromText("a\nb").EndsWithNewline);
        Assert.False(TextDocument.FromText("").EndsWithNewline);
    }

    [Fact]
    public void NewFilesDefaultToUtf8WithoutBom() => Assert.Equal(Encoding.UTF8.GetBytes("é"), TextDocument.FromText("é").Encode("é"));

    [Fact]
    public void Latin1FileRefusesACharacterAboveFFAndNamesIt()
    {
        var document = TextDocument.TryDecode(Bytes(0xE9, '\n'))!;
        var error = Assert.Throws<TextEncodingException>(() => document.Encode("€\n"));
        Assert.Contains("€", error.Message, StringComparison.Ordinal);
        Assert.Contains("U+20AC", error.Message, StringComparison.Ordinal);
        Assert.Contains("Latin-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1FileNamesAnEmojiByItsCodePoint() =>
        Assert.Contains("U+1F389", Assert.Throws<TextEncodingException>(() => TextDocument.FromText("", TextEncodingKind.Latin1).Encode("🎉")).Message, StringComparison.Ordinal);

    [Fact]
    public void Utf32ReadAsUtf16IsBinary() => Assert.Null(TextDocument.TryDecode(Bytes(0xFF, 0xFE, 0, 0, 'a', 0, 0, 0)));

    [Fact]
    public void LinesCannotBeEditedThroughTheDocument() => Assert.Throws<NotSupportedException>(() => ((IList<string>)TextDocument.FromText("a\n").Lines).Add("b"));

    [Fact]
    public void Latin1FileEncodesEditedLatin1Text() => Assert.Equal(Bytes(0xE8, 'x'), TextDocument.FromText("", TextEncodingKind.Latin1).Encode("èx"));

    [Fact]
    public void Utf16FileEncodesEditedTextWithItsBom() => Assert.Equal(Bytes(0xFE, 0xFF, 0, 'a'), TextDocument.FromText("", TextEncodingKind.Utf16BeBom).Encode("a"));

    [Fact]
    public void UnpairedSurrogateCannotBeWrittenAsUtf8() => Assert.Throws<TextEncodingException>(() => TextDocument.FromText("").Encode("\uD800"));
}
