// ANSI colors for readable output, off when stdout is not a terminal or NO_COLOR is set.
using OpenThymos.Core.Text;

namespace OpenThymos.Cli.Output;

/// <summary>
/// Wraps text in ANSI colors when stdout is a terminal and NO_COLOR is unset. The wrapped text is neutralized first
/// (<see cref="VisibleText.Block"/>), so the only escape sequences in the result are these colors.
/// </summary>
internal static class Colors
{
    /// <summary>True when colors are written.</summary>
    public static bool Enabled { get; } =
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Red (removed lines, problems).</summary>
    public static string Red(string text) => Wrap("31", text);

    /// <summary>Green (added lines).</summary>
    public static string Green(string text) => Wrap("32", text);

    /// <summary>Cyan (hunk headers).</summary>
    public static string Cyan(string text) => Wrap("36", text);

    /// <summary>Bold (file headers).</summary>
    public static string Bold(string text) => Wrap("1", text);

    /// <summary>Yellow (warnings about what a hunk hides).</summary>
    public static string Yellow(string text) => Wrap("33", text);

    private static string Wrap(string code, string text)
    {
        var shown = VisibleText.Block(text);
        return Enabled ? $"\u001b[{code}m{shown}\u001b[0m" : shown;
    }
}
