// The one way a randomized test chooses its seeds: pinned by its environment variable, else every regression seed
// checked in for it (tests/regression-seeds.txt) and then a fresh random one; each printed, each failure reproducible.
using System.Globalization;
using System.Runtime.CompilerServices;

namespace OpenThymos.Testing;

/// <summary>
/// Runs a randomized test body once per seed. With the test's environment variable set (for example
/// <c>THYMOS_RAWFLIP_SEED=1944761</c>) only that seed runs. Otherwise every seed listed for the test in
/// <c>tests/regression-seeds.txt</c> runs first (lines <c>TestName seed  # what it once broke</c>, where the name is
/// the test class, or the class and method as <c>Class.Method</c>), then one fresh random seed. Each seed is printed
/// before it runs, and a failure names the seed and the exact command that runs it again.
/// </summary>
public static class TestSeeds
{
    /// <summary>The checked-in list, relative to the repository root.</summary>
    public const string RegressionFile = "tests/regression-seeds.txt";

    /// <summary>The seeds a test runs, in order: the pinned one alone, or the regression seeds then a fresh one.</summary>
    public static IReadOnlyList<int> For(string className, string methodName, string environmentVariable)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(environmentVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pinned))
        {
            return [pinned];
        }

        return [.. Regressions(className, methodName), Random.Shared.Next()];
    }

    /// <summary>Runs <paramref name="body"/> for each seed of <see cref="For"/>; see the class summary.</summary>
    public static void Run(string environmentVariable, Action<string> log, Action<int> body, [CallerFilePath] string callerFile = "", [CallerMemberName] string method = "") =>
        RunAsync(environmentVariable, log, seed =>
        {
            body(seed);
            return Task.CompletedTask;
        }, callerFile, method).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="body"/> for each seed of <see cref="For"/>, one after another; see the class summary.</summary>
    public static async Task RunAsync(string environmentVariable, Action<string> log, Func<int, Task> body, [CallerFilePath] string callerFile = "", [CallerMemberName] string method = "")
    {
        var className = Path.GetFileNameWithoutExtension(callerFile.Replace('\\', '/'));
        var seeds = For(className, method, environmentVariable);
        var pinned = Environment.GetEnvironmentVariable(environmentVariable) is not null && seeds.Count == 1;
        for (var index = 0; index < seeds.Count; index++)
        {
            var seed = seeds[index];
            var command = ReproduceCommand(environmentVariable, seed, callerFile, className, method);
            log($"seed {seed} ({(pinned ? "pinned" : index == seeds.Count - 1 ? "fresh" : "regression")}); to repeat: {command}");
            try
            {
                await body(seed);
            }
            catch (Exception exception)
            {
                throw new SeedFailedException(
                    $"{className}.{method} failed with seed {seed}. Run it again with:\n  {command}\nand, once fixed, add the line '{className} {seed}  # what it broke' to {RegressionFile}.\n{exception.Message}",
                    exception);
            }
        }
    }

    /// <summary>The seeds listed for the class or the class and method in the checked-in file, in file order.</summary>
    private static List<int> Regressions(string className, string methodName)
    {
        var file = FindRegressionFile();
        if (file is null)
        {
            return [];
        }

        var seeds = new List<int>();
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Split('#', 2)[0].Trim();
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                continue;
            }

            if ((fields[0] == className || fields[0] == $"{className}.{methodName}")
                && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            {
                seeds.Add(seed);
            }
        }

        return seeds;
    }

    /// <summary>The checked-in file, found by walking up from the test assembly to the repository root.</summary>
    private static string? FindRegressionFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, RegressionFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The command that runs this test alone with this seed, from the repository root.</summary>
    private static string ReproduceCommand(string environmentVariable, int seed, string callerFile, string className, string method)
    {
        var path = callerFile.Replace('\\', '/');
        var at = path.LastIndexOf("/tests/", StringComparison.Ordinal);
        var project = at < 0 ? "tests" : string.Join('/', path[(at + 1)..].Split('/').Take(2));
        return $"{environmentVariable}={seed} dotnet test {project} --filter \"FullyQualifiedName~{className}.{method}\"";
    }
}

/// <summary>A randomized test failed with one of its seeds; the message names the seed and how to run it again.</summary>
public sealed class SeedFailedException(string message, Exception inner) : Exception(message, inner);
