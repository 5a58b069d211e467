// Keeps the server's neutralizer equal to the editor's: both are checked, code point by code point, against one generated table.
using System.Globalization;
using System.Text;
using OpenThymos.Core.Paths;
using OpenThymos.Core.Text;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Text;

/// <summary>
/// The classification of every code point U+0000..U+10FFFF by the server's <see cref="VisibleText"/> and
/// <see cref="PathIdentity.IsDefaultIgnorable"/>, asked through their public surface, must equal
/// <c>tests/visible-text-table.txt</c>; tests/node/visibleTextTable.test.mjs asks extension/src/text/visibleText.ts the same
/// questions and checks its answers against the same file. So the two implementations cannot drift apart without
/// one of the two tests failing, and neither side's list is copied into the other's test.
/// </summary>
public sealed class VisibleTextTableTests(ITestOutputHelper output)
{
    /// <summary>The checked-in table, relative to the repository root.</summary>
    public const string TableFile = "tests/visible-text-table.txt";

    /// <summary>Set to 1 to rewrite the table from the server's answers (after a deliberate change; the editor must then follow).</summary>
    public const string WriteVariable = "THYMOS_WRITE_VISIBLE_TEXT_TABLE";

    private const string Header = """
        # The visible-text classification of every code point U+0000..U+10FFFF. Generated from the server's VisibleText and
        # PathIdentity.IsDefaultIgnorable by VisibleTextTableTests (tests/OpenThymos.Core.Tests/Text), which fails when
        # the server answers differently; tests/node/visibleTextTable.test.mjs fails when extension/src/text/visibleText.ts does.
        # After a deliberate change to the server's rules, regenerate it with
        #   THYMOS_WRITE_VISIBLE_TEXT_TABLE=1 dotnet test tests/OpenThymos.Core.Tests --filter VisibleTextTableTests
        # and make the editor's rules give the same answers (node extension/scripts/combining-marks.mjs rewrites the editor's
        # list of stacking marks from this file). A lone surrogate (U+D800..U+DFFF) is one UTF-16 unit.
        #
        # A line is 'first..last flags' (hex): the code points in the range share these flags ('-' for none):
        #   line       shown as a <U+XXXX> marker when alone in a one-line place (a label, a name, a path)
        #   block      shown as a marker when alone in a multi-line place (a description, a file line in a diff)
        #   stacks     counts toward the combining marks stacked on one character (more than 4 become markers)
        #   joins      a zero-width joiner between two of it is kept (an emoji sequence)
        #   ignorable  path identity ignores it (PathIdentity.IsDefaultIgnorable, Unicode's Default_Ignorable_Code_Point)

        """;

    [Fact]
    public void TheServerClassifiesEveryCodePointAsTheCheckedInTableSays()
    {
        var generated = Generate();
        var path = FindRepositoryFile(TableFile);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(path, generated);
            output.WriteLine($"wrote {path} ({generated.Split('\n').Length} lines)");
            return;
        }

        var expected = Ranges(File.ReadAllText(path));
        var actual = Ranges(generated);
        var differences = Differences(expected, actual).Take(20).ToList();
        Assert.True(
            differences.Count == 0,
            $"The server's VisibleText or PathIdentity.IsDefaultIgnorable no longer classifies these code points as {TableFile} says "
            + $"(table → server):\n{string.Join('\n', differences)}\nIf the change is deliberate, regenerate the table with "
            + $"{WriteVariable}=1 dotnet test tests/OpenThymos.Core.Tests --filter VisibleTextTableTests and change "
            + "extension/src/text/visibleText.ts to give the same answers (tests/node/visibleTextTable.test.mjs checks it; for the "
            + "stacked marks, node extension/scripts/combining-marks.mjs rewrites extension/src/text/combiningMarks.ts from the table).");
    }

    /// <summary>The flags of one code point, asked of the public surface only.</summary>
    private static string Flags(int codePoint)
    {
        var text = codePoint is >= 0xD800 and <= 0xDFFF ? ((char)codePoint).ToString() : char.ConvertFromUtf32(codePoint);
        var flags = new List<string>(5);
        if (VisibleText.Render(text, VisibleTextLayout.SingleLine).HadHiddenCharacters)
        {
            flags.Add("line");
        }

        if (VisibleText.Render(text, VisibleTextLayout.MultiLine).HadHiddenCharacters)
        {
            flags.Add("block");
        }

        // After it, four acute accents: the last is a marker only if it counted as a stacked mark too.
        if (VisibleText.Render("a" + text + "\u0301\u0301\u0301\u0301", VisibleTextLayout.MultiLine).Replaced.Contains("U+0301"))
        {
            flags.Add("stacks");
        }

        if (!VisibleText.Render(text + "\u200D" + text, VisibleTextLayout.MultiLine).Replaced.Contains("U+200D"))
        {
            flags.Add("joins");
        }

        if (PathIdentity.IsDefaultIgnorable(codePoint))
        {
            flags.Add("ignorable");
        }

        return flags.Count == 0 ? "-" : string.Join(' ', flags);
    }

    private static string Generate()
    {
        var table = new StringBuilder(Header);
        var start = 0;
        var flags = Flags(0);
        for (var codePoint = 1; codePoint <= 0x110000; codePoint++)
        {
            var next = codePoint <= 0x10FFFF ? Flags(codePoint) : null;
            if (next == flags)
            {
                continue;
            }

            table.Append(CultureInfo.InvariantCulture, $"{start:X4}..{codePoint - 1:X4} {flags}\n");
            start = codePoint;
            flags = next!;
        }

        return table.ToString();
    }

    /// <summary>The table's lines as (first, last, flags), comments and blank lines left out.</summary>
    private static List<(int First, int Last, string Flags)> Ranges(string table)
    {
        var ranges = new List<(int, int, string)>();
        foreach (var raw in table.Split('\n'))
        {
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var bounds = line[..space].Split("..");
            ranges.Add((int.Parse(bounds[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), int.Parse(bounds[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), line[(space + 1)..].Trim()));
        }

        return ranges;
    }

    /// <summary>Each run of code points whose flags differ, as 'U+XXXX..U+YYYY: table flags → server flags'.</summary>
    private static IEnumerable<string> Differences(List<(int First, int Last, string Flags)> expected, List<(int First, int Last, string Flags)> actual)
    {
        string? At(List<(int First, int Last, string Flags)> ranges, int codePoint)
        {
            var index = ranges.BinarySearch((codePoint, codePoint, ""), Comparer<(int First, int Last, string Flags)>.Create((a, b) => a.First.CompareTo(b.First)));
            index = index >= 0 ? index : ~index - 1;
            return index >= 0 && ranges[index].Last >= codePoint ? ranges[index].Flags : null;
        }

        var runStart = -1;
        string? runFrom = null;
        string? runTo = null;
        for (var codePoint = 0; codePoint <= 0x110000; codePoint++)
        {
            var from = codePoint <= 0x10FFFF ? At(expected, codePoint) ?? "(missing)" : null;
            var to = codePoint <= 0x10FFFF ? At(actual, codePoint) : null;
            var differs = from != to;
            if (runStart >= 0 && (!differs || from != runFrom || to != runTo))
            {
                yield return $"  {VisibleText.Name(runStart)}..{VisibleText.Name(codePoint - 1)}: {runFrom} → {runTo}";
                runStart = -1;
            }

            if (differs && runStart < 0 && codePoint <= 0x10FFFF)
            {
                (runStart, runFrom, runTo) = (codePoint, from, to);
            }
        }
    }

    private static string FindRepositoryFile(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "tests")) && File.Exists(Path.Combine(folder.FullName, "OpenThymos.sln")))
            {
                return Path.Combine(folder.FullName, relative);
            }
        }

        throw new FileNotFoundException($"The repository root (OpenThymos.sln) was not found above {AppContext.BaseDirectory}, so {relative} could not be read.");
    }
}
