// Finds the OpenThymos.Server sidecar (the Native AOT executable when there is one) and starts it headless for a workspace.
using System.Diagnostics;
using OpenThymos.Cli.Errors;

namespace OpenThymos.Cli.Workspace;

/// <summary>Starts the sidecar as a child process (stdin kept open: the sidecar exits cleanly when it closes).</summary>
internal static class SidecarLauncher
{
    /// <summary>Names an OpenThymos.Server executable (Native AOT, as `npm run build` publishes it) or dll to run instead of the one next to thymos.</summary>
    public const string SidecarVariable = "OPENTHYMOS_SIDECAR";

    /// <summary>The sidecar's dll next to thymos.dll (run with `dotnet`): the fallback when no native sidecar is found.</summary>
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "OpenThymos.Server.dll");

    /// <summary>Where a Native AOT sidecar is looked for next to thymos.dll (a folder, so its name does not clash with the apphost).</summary>
    public static string NativeServer => Path.Combine(AppContext.BaseDirectory, "sidecar", OperatingSystem.IsWindows() ? "OpenThymos.Server.exe" : "OpenThymos.Server");

    /// <summary>Starts the sidecar for <paramref name="location"/>; stdout is discarded, stderr is passed through.</summary>
    public static Process Start(WorkspaceLocation location, string? logLevel)
    {
        var (program, prefix) = Locate();
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var argument in prefix)
        {
            info.ArgumentList.Add(argument);
        }
        info.ArgumentList.Add("--workspace");
        info.ArgumentList.Add(location.Root);
        info.ArgumentList.Add("--key-dir");
        info.ArgumentList.Add(location.KeyDirectory);
        if (logLevel is not null)
        {
            info.ArgumentList.Add("--log-level");
            info.ArgumentList.Add(logLevel);
        }

        var process = Process.Start(info)
            ?? throw new CliException(ExitCodes.Unavailable, $"Could not start the sidecar {string.Join(' ', [program, .. prefix])} for {location.Root}. Check that it exists and is executable (and, for a .dll, that `dotnet` is on PATH).");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>
    /// The program and the arguments before the sidecar's own: <c>$OPENTHYMOS_SIDECAR</c> when set, else the Native AOT
    /// sidecar in <c>sidecar/</c> next to thymos (it starts several times faster), else <c>dotnet OpenThymos.Server.dll</c>.
    /// </summary>
    internal static (string Program, IReadOnlyList<string> Prefix) Locate()
    {
        if (Environment.GetEnvironmentVariable(SidecarVariable) is { Length: > 0 } chosen)
        {
            if (!File.Exists(chosen))
            {
                throw new CliException(ExitCodes.Unavailable, $"{SidecarVariable} names a sidecar that does not exist: {chosen}. Point it at an OpenThymos.Server executable or .dll, or unset it to use the sidecar next to thymos.");
            }
            return chosen.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? (DotnetHost(), [chosen]) : (chosen, []);
        }
        if (File.Exists(NativeServer))
        {
            return (NativeServer, []);
        }
        if (!File.Exists(ServerDll))
        {
            throw new CliException(ExitCodes.Unavailable, $"The sidecar {ServerDll} is missing next to thymos. Reinstall the tool (dotnet tool update -g thymos) or build server/OpenThymos.Cli again.");
        }
        return (DotnetHost(), [ServerDll]);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
