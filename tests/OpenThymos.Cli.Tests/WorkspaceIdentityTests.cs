// A restored ledger, a copied workspace folder, owner-only files and writ tokens kept out of the process list, through the real thymos executable.
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace OpenThymos.Cli.Tests;

public sealed class WorkspaceIdentityTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAgentSubmissionAfterAnOlderLedgerIsRestoredIsRefusedUntilAcceptRestoredRecordsTheRollback(bool headAnchorRestoredToo)
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var thymos = Path.Combine(workspace.Workspace, ".thymos");
        var anchor = Directory.EnumerateFiles(workspace.KeyDirectory, "head.json", SearchOption.AllDirectories).Single();
        var backup = Path.Combine(workspace.Root, "backup");
        Directory.CreateDirectory(backup);
        foreach (var name in new[] { "ledger.db", "ledger-log.db" })
        {
            File.Copy(Path.Combine(thymos, name), Path.Combine(backup, name));
        }

        File.Copy(anchor, Path.Combine(backup, "head.json"));
        var proposalId = await workspace.ProposeAsync(token, "a.txt", "two\n");
        await workspace.ApproveAsync(proposalId, 1);
        foreach (var name in new[] { "ledger.db", "ledger-log.db" })
        {
            File.Copy(Path.Combine(backup, name), Path.Combine(thymos, name), overwrite: true);
        }

        if (headAnchorRestoredToo)
        {
            File.Copy(Path.Combine(backup, "head.json"), anchor, overwrite: true);
        }

        var submission = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, "propose", "--path", "a.txt", "--from", workspace.WriteOutside("three\n"));
        var verify = await workspace.RunAsync("verify");

        Assert.Equal(5, submission.ExitCode);
        Assert.Contains("accept-restored", submission.Stderr, StringComparison.Ordinal);
        Assert.Contains(headAnchorRestoredToo ? "head witness" : "head anchor", submission.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, verify.ExitCode);

        var accept = await workspace.RunAsync("accept-restored");
        var verifyAfter = await workspace.RunAsync("verify");
        var log = await workspace.RunAsync("log", "--json");
        var submissionAfter = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, "propose", "--path", "a.txt", "--from", workspace.WriteOutside("three\n"));

        Assert.True(accept.ExitCode == 0, accept.Stderr);
        Assert.True(verifyAfter.ExitCode == 0, verifyAfter.Stdout + verifyAfter.Stderr);
        Assert.Contains("ledger.rollback-accepted", log.Stdout, StringComparison.Ordinal);
        Assert.True(submissionAfter.ExitCode == 0, submissionAfter.Stderr);
    }

    [Fact]
    public async Task ASidecarStartedOnACopiedFolderIsRefusedAndLeavesTheOriginalsOperatorTokenAndSidecarInPlace()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        await workspace.GrantAsync();
        await using var original = await workspace.ServeAsync();
        var tokenFile = Directory.EnumerateFiles(workspace.KeyDirectory, "operator.token", SearchOption.AllDirectories).Single();
        var tokenBefore = File.ReadAllText(tokenFile);
        var copy = Path.Combine(workspace.Root, "copy");
        await RunToEndAsync("cp", "-r", workspace.Workspace, copy);

        await using var copySidecar = SidecarProcess.Start(copy, workspace.KeyDirectory, new SidecarStart { ThroughThymosServe = true, LogLevel = null, Stop = SidecarStop.Kill });
        var copyExitCode = await copySidecar.ExitCodeAsync();

        var copyPending = await ThymosProcess.RunAsync(["pending", "--workspace", copy, "--key-dir", workspace.KeyDirectory]);
        var originalVerify = await workspace.RunAsync("verify");

        Assert.True(File.Exists(tokenFile), "starting a sidecar on the copy deleted the original's operator token");
        Assert.Equal(tokenBefore, File.ReadAllText(tokenFile));
        Assert.Equal(5, copyExitCode);
        Assert.Contains(copy, copySidecar.Stderr, StringComparison.Ordinal);
        Assert.Contains(workspace.Workspace, copySidecar.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, copyPending.ExitCode);
        Assert.Contains(workspace.Workspace, copyPending.Stderr, StringComparison.Ordinal);
        Assert.True(originalVerify.ExitCode == 0, originalVerify.Stdout + originalVerify.Stderr);
    }

    [Fact]
    public async Task AMovedWorkspaceFolderIsAdoptedWhereItNowIsAndACopyOfItIsThenRefusedNamingIt()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var moved = Path.Combine(workspace.Root, "moved");
        var copy = Path.Combine(workspace.Root, "copy");
        var agent = new Dictionary<string, string> { ["THYMOS_WRIT"] = token };
        await RunToEndAsync("mv", workspace.Workspace, moved);

        var proposeInMoved = await ThymosProcess.RunAsync(["propose", "--path", "a.txt", "--from", workspace.WriteOutside("two\n"), "--workspace", moved, "--key-dir", workspace.KeyDirectory], agent);
        await RunToEndAsync("cp", "-r", moved, copy);
        var proposeInCopy = await ThymosProcess.RunAsync(["propose", "--path", "a.txt", "--from", workspace.WriteOutside("three\n"), "--workspace", copy, "--key-dir", workspace.KeyDirectory], agent);
        var verifyCopy = await ThymosProcess.RunAsync(["verify", "--workspace", copy, "--key-dir", workspace.KeyDirectory]);
        var verifyMoved = await ThymosProcess.RunAsync(["verify", "--workspace", moved, "--key-dir", workspace.KeyDirectory]);

        Assert.True(proposeInMoved.ExitCode == 0, proposeInMoved.Stderr);
        Assert.Equal(5, proposeInCopy.ExitCode);
        Assert.Contains(moved, proposeInCopy.Stderr, StringComparison.Ordinal);
        Assert.Contains(copy, proposeInCopy.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, verifyCopy.ExitCode);
        Assert.True(verifyMoved.ExitCode == 0, verifyMoved.Stdout + verifyMoved.Stderr);
    }

    [Fact]
    public async Task EveryFileUnderDotThymosTheKeyFolderAndTheStateFolderIsOwnerOnlyAfterRealUseEvenWithUmaskZero()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var grant = await RunWithUmaskZeroAsync(workspace, "grant", "--agent", "bot");
        Assert.True(grant.ExitCode == 0, grant.Stderr);
        var token = grant.Stdout.Trim();
        var propose = await RunWithUmaskZeroAsync(workspace, "propose", "--path", "a.txt", "--from", workspace.WriteOutside("two\n"), "--writ", token, "--json");
        Assert.True(propose.ExitCode == 0, propose.Stderr);
        using (var document = JsonDocument.Parse(propose.Stdout))
        {
            var approve = await RunWithUmaskZeroAsync(workspace, "approve", document.RootElement.GetProperty("proposalId").GetString()! + "@1");
            Assert.True(approve.ExitCode == 0, approve.Stderr);
        }

        Assert.True((await RunWithUmaskZeroAsync(workspace, "verify")).ExitCode == 0);

        var checkedPaths = new List<string>();
        var wider = new List<string>();
        var stateFolder = workspace.KeyDirectory + "-state";
        foreach (var root in new[] { Path.Combine(workspace.Workspace, ".thymos"), workspace.KeyDirectory, stateFolder }.Where(Directory.Exists))
        {
            var entries = new List<string>(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories));
            if (root != workspace.KeyDirectory)
            {
                entries.Add(root); // the key folder's root was made by the test; the rest is ours
            }

            foreach (var path in entries)
            {
                checkedPaths.Add(path);
                var mode = File.GetUnixFileMode(path);
                var allowed = Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite;
                if ((mode & ~allowed) != 0)
                {
                    wider.Add($"{path}: {Convert.ToString((int)mode, 8)}");
                }
            }
        }

        Assert.True(wider.Count == 0, "not owner-only: " + string.Join("; ", wider));
        Assert.Contains(checkedPaths, p => p.EndsWith("ledger.db", StringComparison.Ordinal));
        Assert.Contains(checkedPaths, p => p.EndsWith("ledger-log.db", StringComparison.Ordinal));
        Assert.Contains(checkedPaths, p => p.EndsWith(".json", StringComparison.Ordinal) && p.StartsWith(stateFolder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWritTokenOnTheCommandLineWarnsThatOthersCanSeeItAndAWritFileIsAcceptedWithoutWarning()
    {
        using var workspace = new TempWorkspace(createKeyDirectory: true);
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var tokenFile = Path.Combine(workspace.Root, "writ");
        File.WriteAllText(tokenFile, token + "\n");

        var onCommandLine = await workspace.RunAsync("propose", "--path", "a.txt", "--from", workspace.WriteOutside("two\n"), "--writ", token);
        var fromFile = await workspace.RunAsync("propose", "--path", "a.txt", "--from", workspace.WriteOutside("three\n"), "--writ-file", tokenFile);

        Assert.True(onCommandLine.ExitCode == 0, onCommandLine.Stderr);
        Assert.Contains("process list", onCommandLine.Stderr, StringComparison.Ordinal);
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.DoesNotContain("process list", fromFile.Stderr, StringComparison.Ordinal);
    }

    private static async Task<ThymosRun> RunWithUmaskZeroAsync(TempWorkspace workspace, params string[] args)
    {
        var info = ThymosProcess.StartInfo(["-c", "umask 000 && exec dotnet \"$@\"", "sh", ThymosProcess.Dll, .. args, "--workspace", workspace.Workspace, "--key-dir", workspace.KeyDirectory]);
        info.FileName = "sh";
        info.ArgumentList.RemoveAt(0); // StartInfo put thymos.dll first; the shell line above names it
        return await ThymosProcess.RunAsync(info, $"thymos {string.Join(' ', args)} under umask 000");
    }

    private static async Task RunToEndAsync(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
    }
}
