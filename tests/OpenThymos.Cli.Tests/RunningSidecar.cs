// Runs `thymos serve` for a temp workspace and waits until its agent socket exists; stops it with SIGTERM.
using System.Diagnostics;

namespace OpenThymos.Cli.Tests;

/// <summary>A headless sidecar started through <c>thymos serve</c>.</summary>
public sealed class RunningSidecar : IAsyncDisposable
{
    private readonly Process _process;

    private RunningSidecar(Process process) => _process = process;

    /// <summary>Starts <c>thymos serve</c> (the workspace must already have a ledger) and waits for the socket.</summary>
    public static async Task<RunningSidecar> StartAsync(TempWorkspace workspace)
    {
        var info = ThymosProcess.StartInfo(["serve", "--workspace", workspace.Root, "--key-dir", workspace.KeyDir]);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sidecar = new RunningSidecar(process);
        var deadline = Stopwatch.StartNew();
        while (!Directory.EnumerateFiles(workspace.KeyDir, "agent.sock", SearchOption.AllDirectories).Any())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
            {
                await sidecar.DisposeAsync();
                throw new TimeoutException("thymos serve did not open its agent socket within 30 s.");
            }

            await Task.Delay(100);
        }

        return sidecar;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
