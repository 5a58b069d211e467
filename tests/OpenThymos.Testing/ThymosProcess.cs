// Runs the real `thymos` executable (dotnet thymos.dll) with a timeout and captures its output and exit code.
using System.Diagnostics;

namespace OpenThymos.Testing;

/// <summary>The outcome of one <c>thymos</c> run.</summary>
public sealed record ThymosRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs thymos to its end (stdin closed), as a script or an agent would.</summary>
public static class ThymosProcess
{
    /// <summary>How long any single command may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>server/OpenThymos.Cli/bin/&lt;configuration&gt;/net10.0/thymos.dll, matching this test assembly's configuration.</summary>
    public static string Dll => BuiltPrograms.ThymosDll;

    /// <summary>Runs thymos with <paramref name="args"/>; fails the test when it does not finish in time.</summary>
    public static Task<ThymosRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(StartInfo(args, environment), $"thymos {string.Join(' ', args)}");

    /// <summary>Runs <paramref name="start"/> (stdout and stderr redirected) to its end with stdin closed; fails the test when it does not finish in time.</summary>
    public static async Task<ThymosRun> RunAsync(ProcessStartInfo start, string description)
    {
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
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
            throw new TimeoutException($"{description} did not finish within {Timeout}.");
        }

        return new ThymosRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A start info for thymos with redirected stdout and stderr; THYMOS_WRIT and OPENTHYMOS_KEY_DIR are cleared unless given.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        BuiltPrograms.Thymos(args, environment);
}
