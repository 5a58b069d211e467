// Where the programs the tests run as real processes are: the sidecar (or the published one OPENTHYMOS_SIDECAR names)
// and thymos, both built by the solution beside the test assemblies.
using System.Diagnostics;

namespace OpenThymos.Testing;

/// <summary>Finds the built sidecar and <c>thymos.dll</c> and makes start infos for them.</summary>
public static class BuiltPrograms
{
    /// <summary>Names a published sidecar (npm test sets it to the Native AOT build in dist/sidecar) to run instead of the built dll.</summary>
    public const string SidecarVariable = "OPENTHYMOS_SIDECAR";

    /// <summary>server/OpenThymos.Cli/bin/&lt;configuration&gt;/net10.0/thymos.dll, matching this test assembly's configuration.</summary>
    public static string ThymosDll => FindInRepository("OpenThymos.Cli", "thymos.dll");

    /// <summary>
    /// A start info for the sidecar with stdin, stdout and stderr redirected: the published one <c>$OPENTHYMOS_SIDECAR</c>
    /// names (run directly, or with <c>dotnet</c> when it is a dll), else <c>OpenThymos.Server.dll</c> next to the test
    /// assembly, else the one the solution built. <c>OPENTHYMOS_KEY_DIR</c> is cleared; the arguments name the key directory.
    /// </summary>
    public static ProcessStartInfo Sidecar(IEnumerable<string> arguments)
    {
        var chosen = Environment.GetEnvironmentVariable(SidecarVariable);
        var native = chosen is { Length: > 0 } && !chosen.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(native ? chosen! : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var program = native ? [] : new[] { chosen is { Length: > 0 } ? chosen : ServerDll() };
        foreach (var argument in program.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("OPENTHYMOS_KEY_DIR");
        return start;
    }

    /// <summary>
    /// A start info for <c>dotnet thymos.dll</c> with stdout and stderr redirected as UTF-8; <c>THYMOS_WRIT</c> and
    /// <c>OPENTHYMOS_KEY_DIR</c> are cleared unless <paramref name="environment"/> sets them.
    /// </summary>
    public static ProcessStartInfo Thymos(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(ThymosDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("THYMOS_WRIT");
        start.Environment.Remove("OPENTHYMOS_KEY_DIR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    // The test projects that reference the server project get its dll (and runtimeconfig) beside them; the others run
    // the one the solution built.
    private static string ServerDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "OpenThymos.Server.dll");
        return File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")) ? beside : FindInRepository("OpenThymos.Server", "OpenThymos.Server.dll");
    }

    private static string FindInRepository(string project, string file)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "OpenThymos.sln")))
        {
            folder = folder.Parent;
        }

        if (folder is null)
        {
            throw new DirectoryNotFoundException($"No OpenThymos.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
        }

        var path = Path.Combine(folder.FullName, "server", project, "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{file} not found at {path}; build server/{project} first.", path);
    }
}
