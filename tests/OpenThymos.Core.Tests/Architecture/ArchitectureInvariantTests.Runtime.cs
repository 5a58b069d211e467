// The runtime's shape as assertions: one façade whose private members stay in the file that declares them, the fold on
// its own below it, and one injected meter as the only way to time or hold the runtime's operations.
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using OpenThymos.Core.Runtime;
using Xunit;

namespace OpenThymos.Core.Tests.Architecture;

public sealed partial class ArchitectureInvariantTests
{
    private const string RuntimeFolder = "server/OpenThymos.Core/Runtime";

    [Fact]
    public void NoPrivateMemberOfThymosRuntimeIsUsedFromAnotherOfItsFiles()
    {
        // Shared work goes to named collaborators the façade composes, never to a private kitchen that every partial file cooks in.
        var files = Directory.EnumerateFiles(Repository.File(RuntimeFolder), "ThymosRuntime*.cs")
            .Select(f => (Name: Path.GetFileName(f), Code: CodeOnly(File.ReadAllText(f))))
            .ToList();
        Assert.Contains(files, f => f.Name == "ThymosRuntime.cs");
        var offenders = new List<string>();
        foreach (var (name, code) in files)
        {
            var declared = PrivateMembersDeclaredIn(code);
            Assert.True(name != "ThymosRuntime.cs" || declared.Contains("_gate"), $"the scan found no private members in {name} (found: {string.Join(", ", declared)}); fix the scan");
            foreach (var (otherName, otherCode) in files.Where(f => f.Name != name))
            {
                offenders.AddRange(declared.Where(member => Regex.IsMatch(otherCode, $@"(?<![\w@]){Regex.Escape(member)}\b")).Select(member => $"{otherName} uses {member}, a private member declared in {name}"));
            }
        }

        Assert.True(offenders.Count == 0, "A private member of ThymosRuntime is used from another of its files; give the shared work a collaborator instead:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheRuntimeIsTimedAndHeldOnlyThroughItsInjectedMeter()
    {
        // Production pays a null check per step: no stopwatch, no step list and no settable hook lives in the runtime's code.
        var offenders = Directory.EnumerateFiles(Repository.File(RuntimeFolder), "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), Code: CodeOnly(File.ReadAllText(f))))
            .SelectMany(s => TimingOrHook().Matches(s.Code).Select(m => $"{s.Path}: {m.Value.Trim()}"))
            .ToList();
        Assert.True(offenders.Count == 0, "The runtime is timed and held only through IRuntimeMeter (RuntimeOptions.Meter):\n" + string.Join('\n', offenders));

        // What ThymosRuntime shows beyond its public API, each for a stated reason; a new test or bench hook must be a meter step instead.
        string[] allowed =
        [
            "AttemptsOutsideTheLock", // the façade's retry bound, named in a collaborator's refusal
            "FileSync", // the background syncer, which crash tests pause so that the applied-through mark stays behind
            "get_FileSync",
        ];
        var internals = typeof(ThymosRuntime).GetMembers(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m switch
            {
                FieldInfo field => field.IsAssembly || field.IsFamilyOrAssembly,
                MethodInfo method => method.IsAssembly || method.IsFamilyOrAssembly,
                PropertyInfo property => property.GetMethod?.IsAssembly == true || property.SetMethod?.IsAssembly == true,
                EventInfo @event => @event.AddMethod?.IsAssembly == true,
                _ => false,
            })
            .Select(m => m.Name)
            .Where(name => !name.Contains('<', StringComparison.Ordinal) && !allowed.Contains(name)) // compiler-generated local functions aside
            .ToList();
        Assert.True(internals.Count == 0, "ThymosRuntime exposes internal members beyond the allowed ones: " + string.Join(", ", internals));
    }

    [Fact]
    public void TheFoldKnowsNothingOfTheRuntimeThatFoldsIt()
    {
        // Runtime/State is the fold of the ledger: the runtime depends on it, never the other way round. RejectionReason
        // (a payload vocabulary the fold reads) is the one name it takes from the runtime's folder.
        string[] allowed = ["RejectionReason"];
        var runtimeTypes = typeof(ThymosRuntime).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ThymosRuntime).Namespace && !t.IsNested && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0])
            .Where(name => !allowed.Contains(name))
            .Distinct()
            .ToList();
        Assert.Contains("ThymosRuntime", runtimeTypes);
        var offenders = Directory.EnumerateFiles(Repository.File(RuntimeFolder + "/State"), "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), Code: CodeOnly(File.ReadAllText(f))))
            .SelectMany(s => runtimeTypes.Where(type => Regex.IsMatch(s.Code, $@"(?<![\w.]){type}\b")).Select(type => $"{s.Path} names {type}"))
            .ToList();
        Assert.True(offenders.Count == 0, "The fold (Runtime/State) must not depend on the runtime that folds it:\n" + string.Join('\n', offenders));
    }

    /// <summary>The names of the private members declared at member level (four spaces in) in a file's code.</summary>
    private static List<string> PrivateMembersDeclaredIn(string code) =>
        [.. PrivateMemberDeclaration().Matches(code).Select(m => NameOfDeclaration(m.Groups[1].Value)).OfType<string>().Distinct()];

    /// <summary>The declared name in what follows <c>private</c> and its modifiers: a nested type's name, or the name after the member's type.</summary>
    private static string? NameOfDeclaration(string rest)
    {
        var typeKeyword = Regex.Match(rest, @"^(?:class|record|struct|interface|enum|delegate\s+[\w<>\[\]?,. ]+?)\s+(\w+)");
        if (typeKeyword.Success)
        {
            return typeKeyword.Groups[1].Value;
        }

        // Skip the member's type: a tuple in balanced parentheses, or a name with balanced generic arguments, then ?, [] and dots.
        var index = 0;
        if (rest.StartsWith('('))
        {
            index = SkipBalanced(rest, 0, '(', ')');
        }
        else
        {
            while (index < rest.Length && (char.IsLetterOrDigit(rest[index]) || rest[index] is '_' or '.'))
            {
                index++;
            }

            if (index < rest.Length && rest[index] == '<')
            {
                index = SkipBalanced(rest, index, '<', '>');
            }
        }

        while (index < rest.Length && rest[index] is '?' or '[' or ']')
        {
            index++;
        }

        var name = Regex.Match(rest[index..], @"^\s+(\w+)");
        return name.Success ? name.Groups[1].Value : null;
    }

    private static int SkipBalanced(string text, int start, char open, char close)
    {
        var depth = 0;
        for (var index = start; index < text.Length; index++)
        {
            depth += text[index] == open ? 1 : text[index] == close ? -1 : 0;
            if (depth == 0)
            {
                return index + 1;
            }
        }

        return text.Length;
    }

    /// <summary>
    /// The code of a C# file with comments and the text of string and character literals blanked out (an interpolated
    /// string's holes stay, since they are code), so that a name in a message or a comment is not taken for a use.
    /// </summary>
    private static string CodeOnly(string source)
    {
        var code = new StringBuilder(source.Length);
        var index = 0;
        void Blank(int end)
        {
            for (; index < end && index < source.Length; index++)
            {
                code.Append(source[index] == '\n' ? '\n' : ' ');
            }
        }

        while (index < source.Length)
        {
            var rest = source.AsSpan(index);
            if (rest.StartsWith("//"))
            {
                var end = source.IndexOf('\n', index);
                Blank(end < 0 ? source.Length : end);
            }
            else if (rest.StartsWith("/*"))
            {
                var end = source.IndexOf("*/", index + 2, StringComparison.Ordinal);
                Blank(end < 0 ? source.Length : end + 2);
            }
            else if (rest.StartsWith("\"\"\""))
            {
                var end = source.IndexOf("\"\"\"", index + 3, StringComparison.Ordinal);
                Blank(end < 0 ? source.Length : end + 3);
            }
            else if (rest[0] == '\'')
            {
                var end = index + 1;
                while (end < source.Length && source[end] != '\'')
                {
                    end += source[end] == '\\' ? 2 : 1;
                }

                Blank(end + 1);
            }
            else if (Regex.Match(source[index..Math.Min(source.Length, index + 3)], "^(\\$@|@\\$|\\$|@)?\"") is { Success: true } opening)
            {
                var interpolated = opening.Value.Contains('$', StringComparison.Ordinal);
                var verbatim = opening.Value.Contains('@', StringComparison.Ordinal);
                Blank(index + opening.Length);
                while (index < source.Length)
                {
                    if (source[index] == '"')
                    {
                        if (verbatim && index + 1 < source.Length && source[index + 1] == '"')
                        {
                            Blank(index + 2);
                            continue;
                        }

                        break;
                    }

                    if (interpolated && source[index] == '{')
                    {
                        if (index + 1 < source.Length && source[index + 1] == '{')
                        {
                            Blank(index + 2);
                            continue;
                        }

                        // A hole: keep its code up to the matching brace (a string nested in a hole is kept as code too).
                        var end = SkipBalanced(source, index, '{', '}');
                        code.Append(source, index, end - index);
                        index = end;
                        continue;
                    }

                    Blank(index + (!verbatim && source[index] == '\\' ? 2 : 1));
                }

                Blank(index + 1);
            }
            else
            {
                code.Append(source[index]);
                index++;
            }
        }

        return code.ToString();
    }

    [GeneratedRegex(@"(?m)^    private\s+(?:(?:static|readonly|const|sealed|async|unsafe|volatile|new|partial|extern)\s+)*(.+)$")]
    private static partial Regex PrivateMemberDeclaration();

    [GeneratedRegex(@"\bStopwatch\b|\b(?:Action|Func)\b[^;{\n]*\{\s*get;\s*set;|_stepMarks|\bMarkStep\b|\bLastApprovalSteps\b")]
    private static partial Regex TimingOrHook();
}
