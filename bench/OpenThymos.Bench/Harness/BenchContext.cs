// What every suite needs: smoke or full mode, the scratch folder on the measured disk, the repository.
namespace OpenThymos.Bench.Harness;

/// <summary>
/// Settings shared by all suites. In smoke mode every suite runs with tiny sizes so the whole
/// harness finishes in seconds; nothing is asserted about timing in either mode.
/// </summary>
internal sealed class BenchContext : IDisposable
{
    private readonly bool _keepScratch;

    private BenchContext(bool smoke, string scratch, string repositoryRoot, bool keepScratch)
    {
        _keepScratch = keepScratch;
        Smoke = smoke;
        Scratch = scratch;
        RepositoryRoot = repositoryRoot;
    }

    public bool Smoke { get; }

    /// <summary>A fresh folder for this run; every ledger, database, git repository and raw file goes here (one disk).</summary>
    public string Scratch { get; }

    public string RepositoryRoot { get; }

    /// <summary>Full size in a real run, small size in smoke mode.</summary>
    public int Size(int full, int smoke) => Smoke ? smoke : full;

    public static BenchContext Create(bool smoke, string? scratchParent, bool keepScratch)
    {
        var parent = scratchParent ?? Path.GetTempPath();
        var scratch = Path.Combine(parent, $"openthymos-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        return new BenchContext(smoke, scratch, FindRepositoryRoot(), keepScratch);
    }

    /// <summary>A new empty folder under the scratch folder.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(Scratch, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        if (_keepScratch)
        {
            Console.Error.WriteLine($"bench: kept the scratch folder '{Scratch}'.");
            return;
        }

        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine($"warning: could not delete the scratch folder '{Scratch}': {exception.Message}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenThymos.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"The harness at '{AppContext.BaseDirectory}' is not inside the OpenThymos repository (no OpenThymos.sln above it). Run it with `dotnet run --project bench/OpenThymos.Bench` from a checkout.");
    }
}
