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
        using var workspace = new TempWorkspace();
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var thymos = Path.Combine(workspace.Root, ".thymos");
        var anchor = Directory.EnumerateFiles(workspace.KeyDir, "head.json", SearchOption.AllDirectories).Single();
        var backup = Path.Combine(workspace.Base, "backup");
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

        var submission = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, "propose", "--path", "a.txt", "--from", workspace.WriteSource("three\n"));
        var verify = await workspace.RunAsync("verify");

        Assert.Equal(5, submission.ExitCode);
        Assert.Contains("accept-restored", submission.Stderr, StringComparison.Ordinal);
        Assert.Contains(headAnchorRestoredToo ? "head witness" : "head anchor", submission.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, verify.ExitCode);

        var accept = await workspace.RunAsync("accept-restored");
        var verifyAfter = await workspace.RunAsync("verify");
        var log = await workspace.RunAsync("log", "--json");
        var submissionAfter = await workspace.RunWithEnvAsync(new Dictionary<string, string> { ["THYMOS_WRIT"] = token }, "propose", "--path", "a.txt", "--from", workspace.WriteSource("three\n"));

        Assert.True(accept.ExitCode == 0, accept.Stderr);
        Assert.True(verifyAfter.ExitCode == 0, verifyAfter.Stdout + verifyAfter.Stderr);
        Assert.Contains("ledger.rollback-accepted", log.Stdout, StringComparison.Ordinal);
        Assert.True(submissionAfter.ExitCode == 0, submissionAfter.Stderr);
    }

    [Fact]
    public async Task ASidecarStartedOnACopiedFolderIsRefusedAndLeavesTheOriginalsOperatorTokenAndSidecarInPlace()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("a.txt", "one\n");
        await workspace.GrantAsync();
        await using var original = await RunningSidecar.StartAsync(workspace);
        var tokenFile = Directory.EnumerateFiles(workspace.KeyDir, "operator.token", SearchOption.AllDirectories).Single();
        var tokenBefore = File.ReadAllText(tokenFile);
        var copy = Path.Combine(workspace.Base, "copy");
        await RunToEndAsync("cp", "-r", workspace.Root, copy);

        var copySidecar = Process.Start(ThymosProcess.StartInfo(["serve", "--workspace", copy, "--key-dir", workspace.KeyDir]))!;
        var stderr = copySidecar.StandardError.ReadToEndAsync();
        _ = copySidecar.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await copySidecar.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                copySidecar.Kill(entireProcessTree: true);
                await copySidecar.WaitForExitAsync();
            }
        }

        var copyPending = await ThymosProcess.RunAsync(["pending", "--workspace", copy, "--key-dir", workspace.KeyDir]);
        var originalVerify = await workspace.RunAsync("verify");

        Assert.True(File.Exists(tokenFile), "starting a sidecar on the copy deleted the original's operator token");
        Assert.Equal(tokenBefore, File.ReadAllText(tokenFile));
        Assert.Equal(5, copySidecar.ExitCode);
        Assert.Contains(copy, await stderr, StringComparison.Ordinal);
        Assert.Contains(workspace.Root, await stderr, StringComparison.Ordinal);
        Assert.Equal(5, copyPending.ExitCode);
        Assert.Contains(workspace.Root, copyPending.Stderr, StringComparison.Ordinal);
        Assert.True(originalVerify.ExitCode == 0, originalVerify.Stdout + originalVerify.Stderr);
    }

    [Fact]
    public async Task AMovedWorkspaceFolderIsAdoptedWhereItNowIsAndACopyOfItIsThenRefusedNamingIt()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var moved = Path.Combine(workspace.Base, "moved");
        var copy = Path.Combine(workspace.Base, "copy");
        var agent = new Dictionary<string, string> { ["THYMOS_WRIT"] = token };
        await RunToEndAsync("mv", workspace.Root, moved);

        var proposeInMoved = await ThymosProcess.RunAsync(["propose", "--path", "a.txt", "--from", workspace.WriteSource("two\n"), "--workspace", moved, "--key-dir", workspace.KeyDir], agent);
        await RunToEndAsync("cp", "-r", moved, copy);
        var proposeInCopy = await ThymosProcess.RunAsync(["propose", "--path", "a.txt", "--from", workspace.WriteSource("three\n"), "--workspace", copy, "--key-dir", workspace.KeyDir], agent);
        var verifyCopy = await ThymosProcess.RunAsync(["verify", "--workspace", copy, "--key-dir", workspace.KeyDir]);
        var verifyMoved = await ThymosProcess.RunAsync(["verify", "--workspace", moved, "--key-dir", workspace.KeyDir]);

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
        using var workspace = new TempWorkspace();
        workspace.Write("a.txt", "one\n");
        var grant = await RunWithUmaskZeroAsync(workspace, "grant", "--agent", "bot");
        Assert.True(grant.ExitCode == 0, grant.Stderr);
        var token = grant.Stdout.Trim();
        var propose = await RunWithUmaskZeroAsync(workspace, "propose", "--path", "a.txt", "--from", workspace.WriteSource("two\n"), "--writ", token, "--json");
        Assert.True(propose.ExitCode == 0, propose.Stderr);
        using (var document = JsonDocument.Parse(propose.Stdout))
        {
            var approve = await RunWithUmaskZeroAsync(workspace, "approve", document.RootElement.GetProperty("proposalId").GetString()! + "@1");
            Assert.True(approve.ExitCode == 0, approve.Stderr);
        }

        Assert.True((await RunWithUmaskZeroAsync(workspace, "verify")).ExitCode == 0);

        var checkedPaths = new List<string>();
        var wider = new List<string>();
        var stateFolder = workspace.KeyDir + "-state";
        foreach (var root in new[] { Path.Combine(workspace.Root, ".thymos"), workspace.KeyDir, stateFolder }.Where(Directory.Exists))
        {
            var entries = new List<string>(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories));
            if (root != workspace.KeyDir)
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
        using var workspace = new TempWorkspace();
        workspace.Write("a.txt", "one\n");
        var token = await workspace.GrantAsync();
        var tokenFile = Path.Combine(workspace.Base, "writ");
        File.WriteAllText(tokenFile, token + "\n");

        var onCommandLine = await workspace.RunAsync("propose", "--path", "a.txt", "--from", workspace.WriteSource("two\n"), "--writ", token);
        var fromFile = await workspace.RunAsync("propose", "--path", "a.txt", "--from", workspace.WriteSource("three\n"), "--writ-file", tokenFile);

        Assert.True(onCommandLine.ExitCode == 0, onCommandLine.Stderr);
        Assert.Contains("process list", onCommandLine.Stderr, StringComparison.Ordinal);
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.DoesNotContain("process list", fromFile.Stderr, StringComparison.Ordinal);
    }

    private static async Task<ThymosRun> RunWithUmaskZeroAsync(TempWorkspace workspace, params string[] args)
    {
        var info = ThymosProcess.StartInfo(["-c", "umask 000 && exec dotnet \"$@\"", "sh", ThymosProcess.Dll, .. args, "--workspace", workspace.Root, "--key-dir", workspace.KeyDir]);
        info.FileName = "sh";
        info.ArgumentList.RemoveAt(0); // StartInfo put thymos.dll first; the shell line above names it
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ThymosProcess.Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new ThymosRun(process.ExitCode, await stdout, await stderr);
    }

    private static async Task RunToEndAsync(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
    }
}
