// Glob patterns over workspace-relative paths, used by policy rules and writ scopes.
using System.Text;
using System.Text.RegularExpressions;
using OpenThymos.Core.Paths;

namespace OpenThymos.Core.Globs;

/// <summary>
/// A compiled glob. Syntax: <c>*</c> (any run of characters within one segment, dotfiles
/// included), <c>**</c> (a whole segment matching any number of segments, including zero when
/// followed by '/'), <c>?</c> (one character), <c>[abc]</c>, <c>[a-z]</c>, <c>[!a]</c>,
/// <c>{a,b}</c>, and <c>\</c> to escape the next character. A pattern without '/' matches the last
/// segment at any depth (<c>*.pem</c> matches <c>a/b/key.pem</c>); a pattern with '/' is anchored
/// at the workspace root, and a leading '/' anchors a pattern that would otherwise have none.
/// Matching is case-sensitive and ordinal; <see cref="IsMatchAnySpelling(string)"/> also matches every spelling
/// the file system would take for the same file (see <see cref="PathIdentity"/>).
/// Every pattern is bounded before any work is done on it (<see cref="MaxPatternLength"/>, <see cref="MaxSegments"/>,
/// <see cref="MaxDoubleStars"/>, <see cref="MaxWildcards"/>, <see cref="MaxBraceGroups"/>, <see cref="MaxAlternatives"/>),
/// because patterns come from agents (<c>file/list</c>), writs and policy files, and compiling an unbounded
/// pattern costs unbounded memory.
/// </summary>
public sealed class Glob
{
    /// <summary>The longest pattern accepted, in UTF-16 characters (a path is at most 4096 bytes; no useful glob is longer than this).</summary>
    public const int MaxPatternLength = 1024;

    /// <summary>The most '/'-separated segments a pattern may have.</summary>
    public const int MaxSegments = 64;

    /// <summary>The most '**' segments a pattern may have.</summary>
    public const int MaxDoubleStars = 8;

    /// <summary>The most '*', '?' and '[...]' wildcards a pattern may have, counted before brace expansion.</summary>
    public const int MaxWildcards = 32;

    /// <summary>The most '{...}' groups a pattern may have, nested or not.</summary>
    public const int MaxBraceGroups = 16;

    /// <summary>The most alternatives brace expansion may produce.</summary>
    public const int MaxAlternatives = 256;

    private readonly Lazy<Regex> _regex;
    private readonly Lazy<Regex> _anySpelling;

    private Glob(string pattern, string regex, string keyRegex)
    {
        Pattern = pattern;
        // Built lazily like the key form: a NonBacktracking regex costs hundreds of KiB to build, and the built-in
        // protections (about a hundred globs) are matched through one combined key regex, so most are never built.
        _regex = new Lazy<Regex>(() => new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        KeyRegex = keyRegex;
        // Compiled only when a protection check first needs it: most globs never are.
        _anySpelling = new Lazy<Regex>(() => new Regex(keyRegex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase));
    }

    /// <summary>The pattern text exactly as given.</summary>
    public string Pattern { get; }

    /// <summary>The anchored regular expression that matches identity keys (compiled ignoring case), for callers that combine many globs into one.</summary>
    internal string KeyRegex { get; }

    /// <summary>Compiles a pattern.</summary>
    /// <exception cref="InvalidGlobException">The pattern is malformed; the message says how.</exception>
    public static Glob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new InvalidGlobException(pattern, "it is empty; write a pattern such as 'src/**' or '*.ts'.");
        }

        CheckBounds(pattern);
        var alternatives = ExpandBraces(pattern, pattern);
        var regex = new StringBuilder("^(?:");
        var keyRegex = new StringBuilder("^(?:");
        for (var i = 0; i < alternatives.Count; i++)
        {
            if (i > 0)
            {
                regex.Append('|');
                keyRegex.Append('|');
            }

            regex.Append(Translate(pattern, alternatives[i]));
            keyRegex.Append(Translate(pattern, PathIdentity.KeyOfPattern(alternatives[i])));
        }

        regex.Append(")$");
        keyRegex.Append(")$");
        return new Glob(pattern, regex.ToString(), keyRegex.ToString());
    }

    /// <summary>A pattern shortened for messages, so an over-long one does not flood a log or an error.</summary>
    public static string Shown(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.Length <= 80 ? pattern : $"{pattern[..77]}... ({pattern.Length} characters)";
    }

    /// <summary>Compiles a pattern, returning false and a message instead of throwing.</summary>
    public static bool TryParse(string pattern, out Glob? glob, out string? error)
    {
        try
        {
            glob = Parse(pattern);
            error = null;
            return true;
        }
        catch (InvalidGlobException e)
        {
            glob = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>True when the workspace-relative path matches.</summary>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _regex.Value.IsMatch(path);
    }

    /// <summary>True when the confined workspace path matches.</summary>
    public bool IsMatch(WorkspacePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _regex.Value.IsMatch(path.Value);
    }

    /// <summary>
    /// True when the path matches as spelled, or when any spelling the file system takes for the same file
    /// would match: both the path and the pattern are compared by their <see cref="PathIdentity.Key"/>, without
    /// regard to case. Protections use this, so that <c>.GIT/config</c> or <c>.env.</c> cannot slip past a
    /// rule written for <c>.git</c> or <c>.env</c>; permissions never do, so no spelling widens what is allowed.
    /// </summary>
    public bool IsMatchAnySpelling(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _regex.Value.IsMatch(path) || IsKeyMatch(PathIdentity.Key(path));
    }

    /// <summary>True when an identity key (<see cref="PathIdentity.Key"/>) matches the pattern's key form, ignoring case.</summary>
    internal bool IsKeyMatch(string key) => _anySpelling.Value.IsMatch(key);

    /// <summary>Returns the pattern text.</summary>
    public override string ToString() => Pattern;

    // Counts what makes compiling expensive in one pass over the text, before anything is allocated for it.
    private static void CheckBounds(string pattern)
    {
        if (pattern.Length > MaxPatternLength)
        {
            throw Exceeded(pattern, $"it is {pattern.Length} characters long, more than the limit of {MaxPatternLength}");
        }

        int segments = 1, doubleStars = 0, wildcards = 0, braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '/':
                    segments++;
                    break;
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    doubleStars++;
                    i++;
                    break;
                case '*' or '?' or '[':
                    wildcards++;
                    break;
                case '{':
                    braces++;
                    break;
                default:
                    break;
            }
        }

        if (segments > MaxSegments)
        {
            throw Exceeded(pattern, $"it has {segments} segments, more than the limit of {MaxSegments}");
        }

        if (doubleStars > MaxDoubleStars)
        {
            throw Exceeded(pattern, $"it has {doubleStars} '**', more than the limit of {MaxDoubleStars}");
        }

        if (wildcards > MaxWildcards)
        {
            throw Exceeded(pattern, $"it has {wildcards} wildcards ('*', '?', '[...]'), more than the limit of {MaxWildcards}");
        }

        if (braces > MaxBraceGroups)
        {
            throw Exceeded(pattern, $"it has {braces} '{{...}}' groups, more than the limit of {MaxBraceGroups}");
        }
    }

    private static InvalidGlobException Exceeded(string pattern, string what) =>
        new(pattern, $"{what}; globs are bounded so that matching stays cheap. Split it into several simpler patterns.");

    // Expands {a,b} into separate patterns first, so each alternative gets its own anchoring and
    // its own '**' segment handling, exactly as if it had been written out.
    private static List<string> ExpandBraces(string original, string pattern)
    {
        var open = FindUnescaped(original, pattern, '{', 0);
        if (open < 0)
        {
            if (FindUnescaped(original, pattern, '}', 0) >= 0)
            {
                throw new InvalidGlobException(original, "it has a '}' without a matching '{'; escape it as '\\}' to match it literally.");
            }

            return [pattern];
        }

        var depth = 0;
        var parts = new List<string>();
        var start = open + 1;
        var close = -1;
        for (var i = open; i < pattern.Length && close < 0; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(original, pattern, i);
                    break;
                case '{':
                    depth++;
                    break;
                case ',' when depth == 1:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        parts.Add(pattern[start..i]);
                        close = i;
                    }

                    break;
                default:
                    break;
            }
        }

        if (close < 0)
        {
            throw new InvalidGlobException(original, "it has a '{' without a matching '}'; close the alternatives as in '{a,b}'.");
        }

        var prefix = pattern[..open];
        var suffix = pattern[(close + 1)..];
        var results = new List<string>();
        foreach (var part in parts)
        {
            foreach (var expanded in ExpandBraces(original, prefix + part + suffix))
            {
                results.Add(expanded);
                if (results.Count > MaxAlternatives)
                {
                    throw new InvalidGlobException(original, $"its braces expand to more than {MaxAlternatives} alternatives; split it into simpler patterns.");
                }
            }
        }

        return results;
    }

    private static int FindUnescaped(string original, string pattern, char wanted, int from)
    {
        for (var i = from; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '[')
            {
                i = SkipClass(original, pattern, i);
            }
            else if (pattern[i] == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    // Returns the index of the ']' that closes the class opened at 'open'.
    private static int SkipClass(string original, string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^'))
        {
            i++;
        }

        // A ']' right after the opening (or after the negation) is a literal member, as in POSIX.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']')
            {
                return i;
            }
        }

        throw new InvalidGlobException(original, "it has a '[' without a matching ']'; close the character class or escape it as '\\['.");
    }

    private static string Translate(string original, string pattern)
    {
        var anchored = pattern.Contains('/', StringComparison.Ordinal);
        if (pattern.StartsWith('/'))
        {
            pattern = pattern[1..];
        }

        if (pattern.Length == 0)
        {
            throw new InvalidGlobException(original, "it names no path; write a pattern such as 'src/**'.");
        }

        if (pattern.EndsWith('/'))
        {
            throw new InvalidGlobException(original, "it ends with '/'; globs match files, so write 'dir/**' for everything under a folder.");
        }

        var segments = pattern.Split('/');
        var regex = new StringBuilder(anchored ? string.Empty : "(?:.*/)?");
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment.Length == 0)
            {
                throw new InvalidGlobException(original, "it has an empty segment ('//'); remove the extra '/'.");
            }

            if (segment == "**")
            {
                // '**/' absorbs zero or more leading segments; a final '**' needs at least one
                // segment, so 'src/**' matches files under src but not a file named 'src'.
                regex.Append(isLast ? "[^/]+(?:/[^/]+)*" : "(?:[^/]+/)*");
                continue;
            }

            if (segment.Contains("**", StringComparison.Ordinal) && !segment.Contains("\\*", StringComparison.Ordinal))
            {
                throw new InvalidGlobException(original, $"'**' must be a whole segment, but '{segment}' mixes it with other text; use '*' within a segment or '**/' for any depth.");
            }

            TranslateSegment(original, segment, regex);
            if (!isLast)
            {
                regex.Append('/');
            }
        }

        return regex.ToString();
    }

    private static void TranslateSegment(string original, string segment, StringBuilder regex)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\':
                    if (i + 1 >= segment.Length)
                    {
                        throw new InvalidGlobException(original, "it ends with a lone '\\'; escape a character by putting '\\' before it.");
                    }

                    i++;
                    regex.Append(Regex.Escape(segment[i].ToString()));
                    break;
                case '[':
                    i = TranslateClass(original, segment, i, regex);
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
    }

    private static int TranslateClass(string original, string segment, int open, StringBuilder regex)
    {
        var close = SkipClass(original, segment, open);
        var i = open + 1;
        var negated = segment[i] == '!' || segment[i] == '^';
        if (negated)
        {
            i++;
        }

        var members = new List<char>();
        for (; i < close; i++)
        {
            if (segment[i] == '\\')
            {
                i++;
            }

            members.Add(segment[i]);
        }

        if (members.Count == 0)
        {
            throw new InvalidGlobException(original, "it has an empty character class '[]'; list at least one character.");
        }

        var body = new StringBuilder();
        for (var m = 0; m < members.Count; m++)
        {
            var isRange = m + 2 < members.Count && members[m + 1] == '-' && !IsEscapedDash(segment, open, close, m + 1);
            if (isRange)
            {
                var from = members[m];
                var to = members[m + 2];
                if (from > to)
                {
                    throw new InvalidGlobException(original, $"its range '{from}-{to}' runs backwards; write it as '{to}-{from}'.");
                }

                body.Append(EscapeInClass(from)).Append('-').Append(EscapeInClass(to));
                m += 2;
            }
            else
            {
                body.Append(EscapeInClass(members[m]));
            }
        }

        // A class never matches '/', so it cannot let '*'-like matching cross a segment.
        regex.Append(negated ? "[^/" : "[").Append(body).Append(negated ? "]" : "-[/]]");
        return close;
    }

    // Reports whether the member at 'memberIndex' came from an escaped '\-' in the source text.
    private static bool IsEscapedDash(string segment, int open, int close, int memberIndex)
    {
        var i = open + 1;
        if (segment[i] == '!' || segment[i] == '^')
        {
            i++;
        }

        var index = 0;
        for (; i < close; i++)
        {
            var escaped = segment[i] == '\\';
            if (escaped)
            {
                i++;
            }

            if (index == memberIndex)
            {
                return escaped;
            }

            index++;
        }

        return false;
    }

    private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}
