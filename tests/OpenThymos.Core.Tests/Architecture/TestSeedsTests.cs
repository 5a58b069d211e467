// Every randomized test in tests/ draws its seed through TestSeeds, so CI runs the listed regression seeds and a fresh one and prints each.
using System.Text.RegularExpressions;
using Xunit;

namespace OpenThymos.Core.Tests.Architecture;

public sealed partial class TestSeedsTests
{
    /// <summary>The comment that lets a seed stay fixed; the line must say why next to it.</summary>
    private const string FixedOnPurpose = "fixed on purpose";

    /// <summary>
    /// The mechanism, not a list of converted tests: a <c>new Random(…)</c> whose seed is not the one TestSeeds hands
    /// the test body, <c>Random.Shared</c> outside TestSeeds, or <c>Math.random</c> and Node's random generators in the
    /// JavaScript tests, would make a failure that CI cannot repeat and that the regression list cannot pin.
    /// </summary>
    [Fact]
    public void EveryRandomNumberGeneratorInTheTestsIsSeededThroughTestSeeds()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var file in SourceFiles(Path.Combine(root, "tests")))
        {
            var lines = File.ReadAllLines(file);
            for (var index = 0; index < lines.Length; index++)
            {
                var line = lines[index];
                if (line.Contains(FixedOnPurpose, StringComparison.Ordinal) || line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var unseeded = file.EndsWith(".cs", StringComparison.Ordinal)
                    ? NewRandom().Matches(line).Any(match => match.Groups["seed"].Value.Trim() != "seed")
                        || (line.Contains("Random.Shared", StringComparison.Ordinal) && Path.GetFileName(file) is not ("TestSeeds.cs" or "TestSeedsTests.cs"))
                    : JavaScriptRandom().IsMatch(line);
                if (unseeded)
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{index + 1}: {line.Trim()}");
                }
            }
        }

        Assert.True(
            offenders.Count == 0,
            "These random number generators are not seeded through TestSeeds, so a failure they cause prints no seed and "
            + $"cannot be repeated:\n{string.Join('\n', offenders)}\nWrap the test body in TestSeeds.Run or TestSeeds.RunAsync with "
            + "a THYMOS_*_SEED variable and use new Random(seed); or, if the value truly does not matter, say why on the line "
            + $"with a comment containing '{FixedOnPurpose}'.");
    }

    [GeneratedRegex(@"new\s+Random\s*\((?<seed>[^)]*)\)")]
    private static partial Regex NewRandom();

    [GeneratedRegex(@"Math\.random\s*\(|\brandom(Int|Bytes|UUID)\s*\(|getRandomValues\s*\(")]
    private static partial Regex JavaScriptRandom();

    private static IEnumerable<string> SourceFiles(string tests) =>
        Directory.EnumerateFiles(tests, "*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".mjs", StringComparison.Ordinal) || file.EndsWith(".js", StringComparison.Ordinal) || file.EndsWith(".ts", StringComparison.Ordinal))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OpenThymos.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"The repository root (OpenThymos.sln) was not found above {AppContext.BaseDirectory}.");
    }
}
