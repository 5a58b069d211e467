// The one way human-readable output reaches the terminal: agent text is neutralized before it is written.
using System.Globalization;
using OpenThymos.Core.Text;

namespace OpenThymos.Cli.Output;

/// <summary>
/// Writes human-readable lines to stdout and stderr through <see cref="VisibleText"/>, so an agent's names, descriptions,
/// paths, hunk lines or error messages cannot move the cursor, erase, recolor or reorder what the reviewer reads.
/// Tab and line feed are kept (messages and descriptions may span lines); every other control, bidirectional or invisible
/// code point is written as <c>&lt;U+XXXX&gt;</c>. <c>--json</c> output does not come here: the serializer escapes those code points.
/// </summary>
internal static class Screen
{
    /// <summary>Writes <paramref name="text"/>, neutralized, and a line break to stdout.</summary>
    public static void Line(string? text) => Console.Out.WriteLine(VisibleText.Block(text));

    /// <summary>
    /// Writes one row of a list to stdout: each interpolated text is shown with <see cref="VisibleText.Line"/>, so a line
    /// break or tab in an agent's name, description or path cannot start a forged row; the format itself is ours.
    /// </summary>
    public static void Row(FormattableString row) => Console.Out.WriteLine(RowText(row));

    /// <summary>The text <see cref="Row"/> writes.</summary>
    public static string RowText(FormattableString row) =>
        string.Format(
            CultureInfo.InvariantCulture,
            row.Format,
            [.. row.GetArguments().Select(a => a is string or null ? VisibleText.Line(a as string) : a)]);

    /// <summary>Writes <paramref name="text"/>, neutralized, and a line break to stderr.</summary>
    public static void Error(string? text) => Console.Error.WriteLine(VisibleText.Block(text));

    /// <summary>Writes <paramref name="text"/>, neutralized, and a line break to stderr.</summary>
    public static Task ErrorAsync(string? text) => Console.Error.WriteLineAsync(VisibleText.Block(text));

    /// <summary>
    /// Writes text composed only of <see cref="Colors"/> output and <see cref="VisibleText"/> renderings (such as
    /// <see cref="DiffRenderer.Render"/>), whose color codes must reach the terminal as they are.
    /// </summary>
    public static void Composed(string text) => Console.Out.Write(text);
}
