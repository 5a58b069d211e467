// thymos run on a temp workspace: the workspace and key directory appended to every command, the JSON answer parsed,
// a writ granted, and `thymos serve` started; each step that must succeed asserts that it did.
using System.Text.Json;
using Xunit;

namespace OpenThymos.Testing;

/// <summary>Runs <c>thymos</c> against a <see cref="TempWorkspace"/> (with <c>--workspace</c> and <c>--key-dir</c> appended).</summary>
public static class ThymosWorkspaceRuns
{
    /// <summary>Runs thymos with --workspace and --key-dir appended.</summary>
    public static Task<ThymosRun> RunAsync(this TempWorkspace workspace, params string[] args) =>
        ThymosProcess.RunAsync([.. args, "--workspace", workspace.Workspace, "--key-dir", workspace.KeyDirectory]);

    /// <summary>Runs thymos with an environment.</summary>
    public static Task<ThymosRun> RunWithEnvAsync(this TempWorkspace workspace, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ThymosProcess.RunAsync([.. args, "--workspace", workspace.Workspace, "--key-dir", workspace.KeyDirectory], environment);

    /// <summary>Runs thymos with --json and parses stdout; asserts exit code 0.</summary>
    public static async Task<JsonElement> JsonAsync(this TempWorkspace workspace, params string[] args)
    {
        var run = await workspace.RunAsync([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"thymos {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Issues a writ and returns its token.</summary>
    public static async Task<string> GrantAsync(this TempWorkspace workspace, string agent = "bot")
    {
        var run = await workspace.RunAsync("grant", "--agent", agent);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Trim();
    }

    /// <summary>
    /// Starts <c>thymos serve</c> (the workspace must already have a ledger) and waits for its agent socket; the sidecar is
    /// stopped with SIGTERM, as Ctrl-C would.
    /// </summary>
    public static Task<SidecarProcess> ServeAsync(this TempWorkspace workspace) =>
        SidecarProcess.StartAsync(workspace.Workspace, workspace.KeyDirectory, options: new SidecarStart { ThroughThymosServe = true, LogLevel = null, Stop = SidecarStop.Terminate });
}
