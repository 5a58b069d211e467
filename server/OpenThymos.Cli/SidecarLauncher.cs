// Finds the OpenThymos.Server executable next to thymos.dll and starts it headless for a workspace.
using System.Diagnostics;

namespace OpenThymos.Cli;

/// <summary>Starts the sidecar as a child process (stdin kept open: the sidecar exits cleanly when it closes).</summary>
internal static class SidecarLauncher
{
    /// <summary>The sidecar's dll next to thymos.dll.</summary>
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "OpenThymos.Server.dll");

    /// <summary>Starts the sidecar for <paramref name="location"/>; stdout is discarded, stderr is passed through.</summary>
    public static Process Start(WorkspaceLocation location, string? logLevel)
    {
        if (!File.Exists(ServerDll))
        {
            throw new CliException(ExitCodes.Unavailable, $"The sidecar {ServerDll} is missing next to thymos. Reinstall the tool (dotnet tool update -g thymos) or build server/OpenThymos.Cli again.");
        }

        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServerDll);
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
            ?? throw new CliException(ExitCodes.Unavailable, $"Could not start the sidecar {ServerDll} for {location.Root}. Check that `dotnet` is on PATH.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
