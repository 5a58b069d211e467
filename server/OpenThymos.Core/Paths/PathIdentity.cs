// One definition of when two spellings of a workspace path name the same file, for every protection check.
using System.Globalization;
using System.Text;

namespace OpenThymos.Core.Paths;

/// <summary>
/// The identity key of a workspace-relative path: two paths that some file system a repository is checked
/// out on would take for the same file have the same key. Protections (the built-in floors, deny and
/// require-approval policy rules, exclusions) compare keys, so <c>.GIT/config</c>, <c>.git./config</c>,
/// <c>.git /config</c>, <c>.git::$INDEX_ALLOCATION/config</c> or <c>.git&lt;U+200B&gt;/config</c> are all
/// <c>.git/config</c>. The key over-approximates on purpose: it may call two different files the same (a
/// protection then covers both), never the reverse. What it folds, segment by segment:
/// <list type="bullet">
/// <item>default-ignorable code points (U+200B, U+200D, U+FEFF, bidirectional controls, variation selectors, ...):
/// invisible, so a name holding them looks like the name without them (<c>PathConfinement</c> refuses
/// them in agent paths outright; the key still drops them for patterns and other sources);</item>
/// <item>combining marks, and the canonical singletons U+212A KELVIN SIGN, U+212B ANGSTROM SIGN and U+2126 OHM
/// SIGN: macOS compares names by canonical equivalence (NFC and NFD spellings are one file), and the
/// runtime's invariant-globalization build has no normalization tables, so marks are dropped instead, which
/// equates every canonically equivalent pair of spellings of an ASCII name (and more);</item>
/// <item>case: macOS and Windows file systems are case-insensitive by default;</item>
/// <item>everything from the first ':' (an NTFS alternate data stream names the file before it);</item>
/// <item>trailing dots and spaces, which Windows strips from every segment.</item>
/// </list>
/// </summary>
public static class PathIdentity
{
    /// <summary>The identity key of a '/'-separated workspace-relative path (see the type's summary).</summary>
    public static string Key(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = new StringBuilder(path.Length);
        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                if (segmentStart > 0)
                {
                    key.Append('/');
                }

                AppendSegmentKey(path.AsSpan(segmentStart, i - segmentStart), key, isPattern: false);
                segmentStart = i + 1;
            }
        }

        return key.ToString();
    }

    /// <summary>
    /// True for a default-ignorable code point (Unicode's Default_Ignorable_Code_Point property, which holds
    /// the bidirectional controls too): characters that render as nothing.
    /// </summary>
    public static bool IsDefaultIgnorable(int codePoint) => codePoint switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0x180B and <= 0x180F => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0xFFF0 and <= 0xFFF8 => true,
        >= 0x1BCA0 and <= 0x1BCA3 => true,
        >= 0x1D173 and <= 0x1D17A => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => false,
    };

    /// <summary>
    /// The key form of one brace-free glob alternative: the same folding applied to its literal text, leaving
    /// wildcards, classes and escapes as they are. Case is left to the matcher (it compares keys ignoring case),
    /// so a class such as <c>[A-Z]</c> keeps its meaning.
    /// </summary>
    internal static string KeyOfPattern(string pattern)
    {
        var key = new StringBuilder(pattern.Length);
        var segments = pattern.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            if (s > 0)
            {
                key.Append('/');
            }

            AppendSegmentKey(segments[s], key, isPattern: true);
        }

        return key.ToString();
    }

    private static void AppendSegmentKey(ReadOnlySpan<char> segment, StringBuilder key, bool isPattern)
    {
        var start = key.Length;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (isPattern && c == '\\' && i + 1 < segment.Length)
            {
                // An escaped character stays as written (with its escape), so the pattern keeps its meaning.
                key.Append(c).Append(segment[++i]);
                continue;
            }

            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, segment[++i]);
            }

            if (c == ':' && !isPattern)
            {
                break;
            }

            if (IsDefaultIgnorable(codePoint))
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }

            codePoint = codePoint switch
            {
                0x212A => 'k',
                0x212B => '\u00E5',
                0x2126 => '\u03C9',
                _ => codePoint,
            };
            var text = char.ConvertFromUtf32(codePoint);
            key.Append(isPattern ? text : text.ToUpperInvariant().ToLowerInvariant());
        }

        // Windows drops trailing dots and spaces; a segment made only of them keeps its text (it is refused elsewhere).
        var end = key.Length;
        while (end > start && key[end - 1] is '.' or ' ' && !(isPattern && end - 2 >= start && key[end - 2] == '\\'))
        {
            end--;
        }

        if (end > start)
        {
            key.Length = end;
        }
    }
}
