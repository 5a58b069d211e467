// Random line lists for the text engine's property tests, repeatable from their printed seed.
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Tests.Text;

/// <summary>
/// Generates small line lists from a tiny alphabet so that diffs find many common lines, with a
/// mix of LF, CRLF and a possibly unterminated last line.
/// </summary>
internal static class RandomLines
{
    /// <summary>
    /// The variable that pins the seed of every property test drawing lines from here (through
    /// <see cref="TestSeeds"/>: else the regression seeds listed for the test, then a fresh one, each printed).
    /// </summary>
    public const string SeedVariable = "THYMOS_TEXT_SEED";

    private static readonly string[] Contents = ["a", "b", "c", "d", "", "  x", "é"];

    /// <summary>A well-formed line list: every line but possibly the last has a terminator.</summary>
    public static List<string> Next(Random random, int maxLines = 8)
    {
        int count = random.Next(maxLines + 1);
        var lines = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string ending = random.Next(4) == 0 ? "\r\n" : "\n";
            bool last = i == count - 1;
            if (last && random.Next(3) == 0)
            {
                ending = string.Empty;
            }

            lines.Add(Contents[random.Next(Contents.Length)] + ending);
        }

        // An unterminated empty last line would be no line at all.
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines[^1] = "z";
        }

        return lines;
    }

    /// <summary>A random edit of <paramref name="lines"/>: some lines kept, some dropped, some inserted.</summary>
    public static List<string> Edit(Random random, IReadOnlyList<string> lines)
    {
        var edited = new List<string>();
        foreach (var line in lines)
        {
            int roll = random.Next(6);
            if (roll == 0)
            {
                continue;
            }

            if (roll == 1)
            {
                edited.Add(Contents[random.Next(Contents.Length)] + "\n");
            }

            edited.Add(line);
        }

        if (random.Next(3) == 0)
        {
            edited.Add("tail\n");
        }

        // Keep the list well formed: only the last line may lack a terminator.
        for (int i = 0; i < edited.Count - 1; i++)
        {
            if (!edited[i].EndsWith('\n'))
            {
                edited[i] += "\n";
            }
        }

        return edited;
    }

    /// <summary>A readable, escaped form of a line list for failure messages.</summary>
    public static string Show(IEnumerable<string> lines) =>
        "[" + string.Join(", ", lines.Select(l => "\"" + l.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"")) + "]";

    /// <summary>A readable, escaped form of a text for failure messages.</summary>
    public static string Show(string text) => Show(TextDocument.SplitLines(text));
}
