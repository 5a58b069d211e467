// Decodes a file's bytes into text for diffing and re-encodes edited text byte-exactly.
using System.Text;

namespace OpenThymos.Core.Text;

/// <summary>
/// A decoded text file. Decoding remembers the encoding and byte order mark so that
/// <see cref="Encode"/> reproduces the original bytes exactly; files that would not survive that
/// round trip are treated as binary and never diffed.
/// </summary>
public sealed class TextDocument
{
    // Same heuristic as git: a NUL byte near the start means binary.
    private const int BinaryProbeLength = 8000;

    private static readonly byte[] Utf8Preamble = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf16LePreamble = [0xFF, 0xFE];
    private static readonly byte[] Utf16BePreamble = [0xFE, 0xFF];

    // Strict codecs: invalid input throws instead of being silently replaced with U+FFFD,
    // which would otherwise corrupt the file on write-back.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    private TextDocument(string text, TextEncodingKind encoding)
    {
        Text = text;
        Encoding = encoding;
        // Read-only wrapper: the document is shared, so callers must not be able to edit its lines.
        Lines = ((List<string>)SplitLines(text)).AsReadOnly();
        DominantLineEnding = LineEndings.DominantOf(Lines);
    }

    /// <summary>The decoded text, without any byte order mark.</summary>
    public string Text { get; }

    /// <summary>The encoding (and byte order mark) the file uses.</summary>
    public TextEncodingKind Encoding { get; }

    /// <summary>The lines of <see cref="Text"/>, each with its own terminator; see <see cref="SplitLines"/>.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>"\r\n" if CRLF lines outnumber bare LF lines, else "\n". New lines get this ending.</summary>
    public string DominantLineEnding { get; }

    /// <summary>Whether the text ends with a line terminator.</summary>
    public bool EndsWithNewline => Text.EndsWith('\n');

    /// <summary>
    /// Decodes file bytes, or returns null when the content is binary: it has a NUL byte in its
    /// first 8000 bytes (unless it starts with a UTF-16 byte order mark), or it does not
    /// re-encode to the same bytes.
    /// </summary>
    public static TextDocument? TryDecode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var span = bytes.AsSpan();

        // UTF-16 text is full of NUL bytes, so its byte order mark must be checked first.
        if (span.StartsWith(Utf16LePreamble))
        {
            return TryDecodeAs(bytes, TextEncodingKind.Utf16LeBom);
        }

        if (span.StartsWith(Utf16BePreamble))
        {
            return TryDecodeAs(bytes, TextEncodingKind.Utf16BeBom);
        }

        if (span[..Math.Min(span.Length, BinaryProbeLength)].Contains((byte)0))
        {
            return null;
        }

        if (span.StartsWith(Utf8Preamble) && TryDecodeAs(bytes, TextEncodingKind.Utf8Bom) is { } withBom)
        {
            return withBom;
        }

        // Latin-1 decodes any byte sequence, so it is the fallback for non-UTF-8 text.
        return TryDecodeAs(bytes, TextEncodingKind.Utf8) ?? TryDecodeAs(bytes, TextEncodingKind.Latin1);
    }

    /// <summary>Creates a document for a file that does not exist yet (UTF-8 without BOM by default).</summary>
    public static TextDocument FromText(string text, TextEncodingKind encoding = TextEncodingKind.Utf8)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextDocument(text, encoding);
    }

    /// <summary>
    /// Splits text after each '\n', so every line keeps its own terminator ("\n" or "\r\n") and
    /// only the last line may lack one. Empty text has zero lines. A lone '\r' is not a terminator.
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }

    /// <summary>
    /// Encodes text with this document's encoding, including its byte order mark.
    /// </summary>
    /// <exception cref="TextEncodingException">
    /// The text has a character the encoding cannot hold (above U+00FF for Latin-1, or an
    /// unpaired surrogate for UTF-8 and UTF-16).
    /// </exception>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encoding switch
        {
            TextEncodingKind.Utf8 => EncodeStrict(StrictUtf8, [], text),
            TextEncodingKind.Utf8Bom => EncodeStrict(StrictUtf8, Utf8Preamble, text),
            TextEncodingKind.Utf16LeBom => EncodeStrict(StrictUtf16Le, Utf16LePreamble, text),
            TextEncodingKind.Utf16BeBom => EncodeStrict(StrictUtf16Be, Utf16BePreamble, text),
            TextEncodingKind.Latin1 => EncodeLatin1(text),
            _ => throw new InvalidOperationException($"Unknown text encoding {Encoding}."),
        };
    }

    private static TextDocument? TryDecodeAs(byte[] bytes, TextEncodingKind kind)
    {
        string text;
        try
        {
            text = kind switch
            {
                TextEncodingKind.Utf8 => StrictUtf8.GetString(bytes),
                TextEncodingKind.Utf8Bom => StrictUtf8.GetString(bytes, Utf8Preamble.Length, bytes.Length - Utf8Preamble.Length),
                TextEncodingKind.Utf16LeBom => StrictUtf16Le.GetString(bytes, Utf16LePreamble.Length, bytes.Length - Utf16LePreamble.Length),
                TextEncodingKind.Utf16BeBom => StrictUtf16Be.GetString(bytes, Utf16BePreamble.Length, bytes.Length - Utf16BePreamble.Length),
                _ => System.Text.Encoding.Latin1.GetString(bytes),
            };
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        // U+0000 is never real text; it shows up when, say, UTF-32 (BOM FF FE 00 00) is read as UTF-16.
        if (kind is TextEncodingKind.Utf16LeBom or TextEncodingKind.Utf16BeBom && text.AsSpan(0, Math.Min(text.Length, BinaryProbeLength / 2)).Contains('\0'))
        {
            return null;
        }

        var document = new TextDocument(text, kind);

        // The guarantee callers rely on: whatever we decode, we can write back unchanged.
        try
        {
            return document.Encode(text).AsSpan().SequenceEqual(bytes) ? document : null;
        }
        catch (TextEncodingException)
        {
            return null;
        }
    }

    private static byte[] EncodeStrict(System.Text.Encoding encoding, byte[] preamble, string text)
    {
        try
        {
            var body = encoding.GetBytes(text);
            if (preamble.Length == 0)
            {
                return body;
            }

            var bytes = new byte[preamble.Length + body.Length];
            preamble.CopyTo(bytes, 0);
            body.CopyTo(bytes, preamble.Length);
            return bytes;
        }
        catch (EncoderFallbackException ex)
        {
            throw new TextEncodingException(
                $"The text contains an unpaired surrogate character (U+{(int)(ex.CharUnknown != '\0' ? ex.CharUnknown : ex.CharUnknownHigh):X4}), which cannot be written as Unicode text.",
                ex);
        }
    }

    private static byte[] EncodeLatin1(string text)
    {
        // Encoding.Latin1 would silently write '?' for characters it cannot hold; refuse instead.
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] <= '\u00FF')
            {
                continue;
            }

            string shown = char.IsSurrogatePair(text, i)
                ? $"'{text.Substring(i, 2)}' (U+{char.ConvertToUtf32(text, i):X4})"
                : char.IsSurrogate(text[i]) ? $"U+{(int)text[i]:X4} (an unpaired surrogate)" : $"'{text[i]}' (U+{(int)text[i]:X4})";
            throw new TextEncodingException(
                $"The character {shown} cannot be written because the file is Latin-1 (ISO-8859-1) encoded, which only holds characters up to U+00FF; use a Latin-1 character or convert the file to UTF-8 first.");
        }

        return System.Text.Encoding.Latin1.GetBytes(text);
    }
}
