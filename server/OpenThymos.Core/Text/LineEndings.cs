// Small helpers for lines that carry their own terminator ("\n", "\r\n" or none on the last line).
namespace OpenThymos.Core.Text;

/// <summary>
/// Line terminator helpers shared by the text engine. Lines are kept with their terminators so
/// that unchanged lines can be written back byte for byte.
/// </summary>
public static class LineEndings
{
    /// <summary>The Unix line ending.</summary>
    public const string Lf = "\n";

    /// <summary>The Windows line ending.</summary>
    public const string Crlf = "\r\n";

    /// <summary>The terminator a line ends with: "\r\n", "\n", or "" for an unterminated last line.</summary>
    public static string TerminatorOf(string line)
    {
        if (!line.EndsWith('\n'))
        {
            return string.Empty;
        }

        return line.Length >= 2 && line[^2] == '\r' ? Crlf : Lf;
    }

    /// <summary>The line without its terminator.</summary>
    public static string ContentOf(string line) => line[..(line.Length - TerminatorOf(line).Length)];

    /// <summary>
    /// "\r\n" when lines ending in CRLF outnumber lines ending in a bare LF, otherwise "\n".
    /// Ties go to LF so that files without any terminator get the Unix default.
    /// </summary>
    public static string DominantOf(IEnumerable<string> lines)
    {
        int crlf = 0;
        int lf = 0;
        foreach (var line in lines)
        {
            switch (TerminatorOf(line))
            {
                case Crlf:
                    crlf++;
                    break;
                case Lf:
                    lf++;
                    break;
                default:
                    break;
            }
        }

        return crlf > lf ? Crlf : Lf;
    }

    /// <summary>
    /// Turns bare "\n" into <paramref name="dominantLineEnding"/> when that is "\r\n"; explicit
    /// "\r\n" is left alone. Agents usually write LF even when the file they edit uses CRLF.
    /// </summary>
    public static string ToDominant(string text, string dominantLineEnding)
    {
        if (dominantLineEnding != Crlf || !text.Contains('\n'))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                builder.Append('\r');
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
