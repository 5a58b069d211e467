// Quotes paths for the shell commands that refusals tell the user to run, so a pasted command means what it says.
namespace OpenThymos.Core.Ledger;

/// <summary>POSIX shell quoting for the commands named in error messages.</summary>
internal static class ShellQuoting
{
    /// <summary>
    /// <paramref name="word"/> as one shell word: inside single quotes, with each single quote written as <c>'\''</c>;
    /// a word of only safe characters (letters, digits, <c>/._-+:@,=</c>) is left bare.
    /// </summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:@,=".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
