// Runs helper programs (git, node, dotnet publish) and fails loudly with their output.
using System.Diagnostics;

namespace OpenThymos.Bench.Harness;

/// <summary>Small wrapper over <see cref="Process"/> for programs the anchors and suites need.</summary>
internal static class Processes
{
    /// <summary>Runs a program to completion and returns its stdout; throws with stderr when it fails.</summary>
    public static string Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null, string? standardInput = null, params int[] acceptedExitCodes)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var errorTask = process.StandardError.ReadToEndAsync();
        var outputTask = process.StandardOutput.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        var output = outputTask.GetAwaiter().GetResult();
        var error = errorTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0 && !acceptedExitCodes.Contains(process.ExitCode))
        {
            var tail = output.Length > 4000 ? output[^4000..] : output;
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', info.ArgumentList)}' in '{workingDirectory}' exited with {process.ExitCode}: {error.Trim()}\n{tail.Trim()}");
        }

        return output;
    }

    /// <summary>Like <see cref="Run"/> but returns null instead of throwing, for optional tools.</summary>
    public static string? TryRun(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        try
        {
            return Run(fileName, arguments, workingDirectory);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
