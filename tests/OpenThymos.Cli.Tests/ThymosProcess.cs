// Runs the real `thymos` executable (dotnet thymos.dll) with a timeout and captures its output and exit code.
using System.Diagnostics;
using System.Text;

namespace OpenThymos.Cli.Tests;

/// <summary>The outcome of one <c>thymos</c> run.</summary>
public sealed record ThymosRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Locates thymos.dll and runs it.</summary>
public static class ThymosProcess
{
    /// <summary>How long any single command may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>server/OpenThymos.Cli/bin/&lt;configuration&gt;/net10.0/thymos.dll, matching this test assembly's configuration.</summary>
    public static string Dll { get; } = FindDll();

    /// <summary>Runs thymos with <paramref name="args"/>; fails the test when it does not finish in time.</summary>
    public static async Task<ThymosRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = StartInfo(args, environment);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"thymos {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return new ThymosRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A start info for thymos with redirected stdout and stderr; THYMOS_WRIT and NO_COLOR are cleared unless given.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("THYMOS_WRIT");
        info.Environment.Remove("OPENTHYMOS_KEY_DIR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static string FindDll()
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var dir = new DirectoryInfo(here);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenThymos.sln")))
        {
            dir = dir.Parent;
        }

        var dll = Path.Combine(dir!.FullName, "server", "OpenThymos.Cli", "bin", configuration, "net10.0", "thymos.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"thymos.dll not found at {dll}; build server/OpenThymos.Cli first.", dll);
    }
}
