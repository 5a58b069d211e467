// A temporary workspace and key directory for one test, so nothing touches the user's home folder.
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

/// <summary>A temp workspace with its own key directory; runs thymos against it.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Base = Path.Combine(Path.GetTempPath(), "thymos-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Root = Path.Combine(Base, "ws");
        KeyDir = Path.Combine(Base, "keys");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(KeyDir);
    }

    public string Base { get; }

    public string Root { get; }

    public string KeyDir { get; }

    /// <summary>Writes a workspace file (before the runtime governs it, or as a human edit).</summary>
    public void Write(string path, string text) => File.WriteAllText(Path.Combine(Root, path), text);

    /// <summary>Reads a workspace file.</summary>
    public string Read(string path) => File.ReadAllText(Path.Combine(Root, path));

    /// <summary>Runs thymos with --workspace and --key-dir appended.</summary>
    public Task<ThymosRun> RunAsync(params string[] args) => ThymosProcess.RunAsync([.. args, "--workspace", Root, "--key-dir", KeyDir]);

    /// <summary>Runs thymos with an environment.</summary>
    public Task<ThymosRun> RunWithEnvAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ThymosProcess.RunAsync([.. args, "--workspace", Root, "--key-dir", KeyDir], environment);

    /// <summary>Runs thymos with --json and parses stdout; asserts exit code 0.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var run = await RunAsync([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"thymos {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Issues a writ and returns its token.</summary>
    public async Task<string> GrantAsync(string agent = "bot")
    {
        var run = await RunAsync("grant", "--agent", agent);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
