// Renders agent text for a human so that it cannot hide or disguise lines: controls, invisible and bidirectional code points become visible markers.
using System.Globalization;
using System.Text;

namespace OpenThymos.Core.Text;

/// <summary>
/// The one neutralizer for agent text shown to a person (the CLI's human output, messages that echo agent input).
/// Every code point that could move a terminal's cursor, erase or recolor text, reorder a line (Trojan Source,
/// CVE-2021-42574) or hide characters is replaced by the visible marker <c>&lt;U+XXXX&gt;</c> (uppercase hex, at least
/// four digits): C0 controls, DEL and C1 controls (so ESC, CSI, OSC and BEL), unpaired UTF-16 surrogates, the bidirectional
/// controls (U+061C, U+200E, U+200F, U+202A–202E, U+2066–2069), line and paragraph separators (U+2028, U+2029), the
/// interlinear annotation controls (U+FFF9–FFFB) and the default-ignorable code points of Unicode (zero-width characters,
/// U+00AD, U+034F, U+2060–206F, U+FEFF, Hangul fillers, Mongolian and Khmer invisibles, tag characters U+E0000–E0FFF, …),
/// and combining marks stacked beyond <see cref="MaxStackedMarks"/> on one character (they would paint over the lines around).
/// Normal text passes unchanged: letters of any script, combining accents, emoji, and the characters that only
/// shape emoji and ideographs (variation selectors, and the zero-width joiner between two emoji).
/// The rules are the same as extension/src/text/visibleText.ts; docs/protocol.md, Agent text on screen, lists them.
/// </summary>
public static class VisibleText
{
    /// <summary>Combining marks allowed on one base character; further ones are shown as markers.</summary>
    public const int MaxStackedMarks = 4;

    /// <summary>
    /// Text for a one-line place (a name, a label, a path, a summary in a list): every control is a marker, tab and
    /// line breaks included, so the text stays on its line.
    /// </summary>
    public static string Line(string? text) => Render(text, VisibleTextLayout.SingleLine).Text;

    /// <summary>
    /// Text for a multi-line place (a description, one line of a file in a diff, a message): tab and line feed are kept
    /// (CRLF becomes a line feed), since they only advance the cursor; every other control is a marker.
    /// </summary>
    public static string Block(string? text) => Render(text, VisibleTextLayout.MultiLine).Text;

    /// <summary>Renders <paramref name="text"/> and reports which code points were replaced.</summary>
    public static VisibleTextResult Render(string? text, VisibleTextLayout layout)
    {
        var found = new SortedSet<int>();
        var shown = Render(text ?? "", layout, found);
        return new VisibleTextResult(shown, [.. found.Select(Name)]);
    }

    /// <summary>
    /// The code points a reviewer could not see in these lines of a file, as distinct <c>U+XXXX</c> names in code point order
    /// (empty when none). Each line's own terminator (LF, CRLF or a final CR) is not counted; tabs are not counted.
    /// </summary>
    public static IReadOnlyList<string> HiddenCharactersInLines(IEnumerable<string> lines)
    {
        var found = new SortedSet<int>();
        foreach (var line in lines)
        {
            Render(StripTerminator(line), VisibleTextLayout.MultiLine, found);
        }

        return [.. found.Select(Name)];
    }

    /// <summary>The <c>U+XXXX</c> name of a code point (uppercase hex, at least four digits).</summary>
    public static string Name(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>The visible marker for a replaced code point: <c>&lt;U+XXXX&gt;</c>.</summary>
    public static string Marker(int codePoint) => "<" + Name(codePoint) + ">";

    private static string Render(string text, VisibleTextLayout layout, SortedSet<int> found)
    {
        StringBuilder? builder = null;
        var marks = 0;
        for (var i = 0; i < text.Length;)
        {
            var (codePoint, width) = CodePointAt(text, i);
            var category = width == 2 || !char.IsSurrogate(text[i]) ? CharUnicodeInfo.GetUnicodeCategory(codePoint) : UnicodeCategory.Surrogate;
            marks = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark ? marks + 1 : 0;
            var keep = !Neutralized(text, i, codePoint, width, layout) && marks <= MaxStackedMarks;
            if (keep && layout == VisibleTextLayout.MultiLine && codePoint == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                // CRLF is one line break; the CR alone is dropped rather than shown, as the text has not lost a line.
                builder ??= new StringBuilder(text, 0, i, text.Length + 16);
                i += 1;
                continue;
            }

            if (keep)
            {
                builder?.Append(text, i, width);
            }
            else
            {
                builder ??= new StringBuilder(text, 0, i, text.Length + 16);
                builder.Append(Marker(codePoint));
                found.Add(codePoint);
            }

            i += width;
        }

        return builder?.ToString() ?? text;
    }

    private static string StripTerminator(string line)
    {
        if (line.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return line[..^2];
        }

        return line.EndsWith('\n') || line.EndsWith('\r') ? line[..^1] : line;
    }

    private static (int CodePoint, int Width) CodePointAt(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            return (char.ConvertToUtf32(c, text[i + 1]), 2);
        }

        return (c, 1);
    }

    private static bool Neutralized(string text, int i, int codePoint, int width, VisibleTextLayout layout)
    {
        if (codePoint < 0x20)
        {
            var kept = codePoint == '\t' || codePoint == '\n' || (codePoint == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            return !(layout == VisibleTextLayout.MultiLine && kept);
        }

        if (codePoint is >= 0x7F and <= 0x9F)
        {
            return true;
        }

        if (width == 1 && char.IsSurrogate((char)codePoint))
        {
            return true;
        }

        if (codePoint == 0x200D)
        {
            return !JoinsEmoji(text, i);
        }

        return IsInvisibleOrBidirectional(codePoint);
    }

    /// <summary>
    /// True for the format, bidirectional and default-ignorable code points that are always shown as markers: the same
    /// set that path identity ignores (<see cref="Paths.PathIdentity.IsDefaultIgnorable"/>), less the variation selectors
    /// (they shape ideographs and emoji, and show), plus the line and paragraph separators and the interlinear annotation
    /// controls, which move or hide text on screen.
    /// </summary>
    private static bool IsInvisibleOrBidirectional(int c) =>
        c is (>= 0x2028 and <= 0x2029) or (>= 0xFFF9 and <= 0xFFFB)
        || (Paths.PathIdentity.IsDefaultIgnorable(c) && c is not ((>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF)));

    // A zero-width joiner is part of an emoji sequence (👨‍👩‍👧) when an emoji, or its variation selector or skin tone, is on
    // both sides; anywhere else it only hides a difference between two strings that look the same.
    private static bool JoinsEmoji(string text, int i)
    {
        if (i == 0 || i + 1 >= text.Length)
        {
            return false;
        }

        var before = char.IsLowSurrogate(text[i - 1]) && i >= 2 && char.IsHighSurrogate(text[i - 2])
            ? char.ConvertToUtf32(text[i - 2], text[i - 1])
            : text[i - 1];
        var (after, _) = CodePointAt(text, i + 1);
        return (IsEmoji(before) || before == 0xFE0F || before is >= 0x1F3FB and <= 0x1F3FF) && IsEmoji(after);
    }

    private static bool IsEmoji(int c) => c is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF) or (>= 0x2B00 and <= 0x2BFF);
}

/// <summary>Where rendered text is shown, which decides whether tab and line feed are kept.</summary>
public enum VisibleTextLayout
{
    /// <summary>One line (names, labels, paths, list rows): every control becomes a marker.</summary>
    SingleLine,

    /// <summary>Several lines (descriptions, messages, file lines): tab and line feed stay, CRLF becomes a line feed.</summary>
    MultiLine,
}

/// <summary>Rendered text and the code points that were replaced by markers.</summary>
/// <param name="Text">The text as shown.</param>
/// <param name="Replaced">Sorted distinct <c>U+XXXX</c> names of the replaced code points; empty when the text was shown unchanged.</param>
public sealed record VisibleTextResult(string Text, IReadOnlyList<string> Replaced)
{
    /// <summary>True when the text held any code point shown as a marker.</summary>
    public bool HadHiddenCharacters => Replaced.Count > 0;
}
