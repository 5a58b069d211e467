// The real sidecar binary over stdin/stdout: LSP lifecycle, exit codes, and a stdout that carries nothing but frames.
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class SidecarProcessTests
{
    [Fact]
    public async Task InitializeShutdownExitEndsWithCodeZeroAndStdoutHoldsOnlyFrames()
    {
        using var temp = new TempWorkspace();
        await using var sidecar = Sidecar(temp);
        await sidecar.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        var init = await sidecar.WaitForFrameAsync(1);
        Assert.True(init.RootElement.GetProperty("result").GetProperty("workspace").GetProperty("headSeq").GetInt64() >= 1);
        await sidecar.SendAsync("""{"jsonrpc":"2.0","method":"initialized","params":{}}""");
        await sidecar.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"shutdown"}""");
        await sidecar.WaitForFrameAsync(2);
        await sidecar.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await sidecar.ExitCodeAsync());

        var frames = RawFrames.ParseAll(sidecar.Stdout, out var consumed);
        Assert.Equal(sidecar.Stdout.Length, consumed);
        Assert.All(frames, f => Assert.Equal("2.0", f.RootElement.GetProperty("jsonrpc").GetString()));
        Assert.Contains("INFO", sidecar.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(temp.KeyDirectory, init.RootElement.GetProperty("result").GetProperty("workspace").GetProperty("workspaceId").GetString()!, "operator.token")));
    }

    [Fact]
    public async Task ExitWithoutShutdownEndsWithCodeOneAndASecondSidecarAnswersInitializeWithLedgerHeldAndExitsWithCodeThree()
    {
        using var temp = new TempWorkspace();
        await using var first = Sidecar(temp);
        await first.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""");
        await first.WaitForFrameAsync(1);
        await using (var second = Sidecar(temp, "--stdio"))
        {
            // As a second editor window would (vscode-languageclient appends --stdio): its initialize is answered with the reason, not a dropped connection.
            await second.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
            var error = (await second.WaitForFrameAsync(1)).RootElement.GetProperty("error");
            second.CloseInput(); // as the editor does after a failed initialize; the sidecar waits for it before exiting
            Assert.Equal(3, await second.ExitCodeAsync());
            Assert.Equal(ErrorCodes.LedgerHeld, error.GetProperty("code").GetInt32());
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains("held by another process", message, StringComparison.Ordinal);
            Assert.Contains("pid " + first.ProcessId, message, StringComparison.Ordinal);
            Assert.Contains("OpenThymos: Refresh", message, StringComparison.Ordinal);
            var frames = RawFrames.ParseAll(second.Stdout, out var consumed);
            Assert.Equal(second.Stdout.Length, consumed);
            Assert.Single(frames);
        }
        await using (var third = Sidecar(temp, "--stdio"))
        {
            // Started by something that never speaks (stdin closed): the log line is the message, and it exits.
            third.CloseInput();
            Assert.Equal(3, await third.ExitCodeAsync());
            Assert.Empty(third.Stdout);
            Assert.Contains("held by another process", third.Stderr, StringComparison.Ordinal);
        }
        await using (var headless = Sidecar(temp))
        {
            // Without --stdio (`thymos serve`) no editor will send initialize: it exits with stdin still open, where a
            // sidecar started with --stdio would wait up to a minute for one (longer than ExitCodeAsync waits).
            Assert.Equal(3, await headless.ExitCodeAsync());
            Assert.Empty(headless.Stdout);
        }
        await first.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(1, await first.ExitCodeAsync());
    }

    [Fact]
    public async Task ASidecarOnALedgerRestoredFromAnOlderCopyAnswersInitializeWithLedgerRolledBackNamingBothEntriesAndTheCommandAndExitsWithCodeFive()
    {
        using var temp = new TempWorkspace();
        var restoredHead = await ServeOnceAsync(temp.Workspace, temp.KeyDirectory);
        var backup = Path.Combine(temp.Root, "backup");
        Directory.CreateDirectory(backup);
        var ledgerFiles = new[] { "ledger.db", "ledger-log.db" };
        foreach (var name in ledgerFiles)
        {
            File.Copy(Path.Combine(temp.Workspace, ".thymos", name), Path.Combine(backup, name));
        }

        // Work recorded after the backup: a writ issued by the editor, so the signed head anchor and witness move on.
        var recordedHead = await ServeOnceAsync(temp.Workspace, temp.KeyDirectory,
            """{"jsonrpc":"2.0","id":5,"method":"writ/issue","params":{"agent":"bot","include":["**"],"effects":["modify"],"lifetimeSeconds":3600}}""");
        Assert.True(recordedHead > restoredHead, $"the writ moved the head from {restoredHead} to {recordedHead}");
        foreach (var name in ledgerFiles)
        {
            File.Copy(Path.Combine(backup, name), Path.Combine(temp.Workspace, ".thymos", name), overwrite: true);
        }

        await using var refused = Sidecar(temp, "--stdio");
        await refused.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        var error = (await refused.WaitForFrameAsync(1)).RootElement.GetProperty("error");
        refused.CloseInput();
        Assert.Equal(5, await refused.ExitCodeAsync());

        Assert.Equal(ErrorCodes.LedgerRolledBack, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        var command = $"thymos accept-restored --workspace {temp.Workspace} --key-dir {temp.KeyDirectory}";
        Assert.Contains($"The ledger '{temp.LedgerPath}' is behind the head recorded outside the workspace", message, StringComparison.Ordinal);
        Assert.Contains($"it ends at entry {restoredHead} ", message, StringComparison.Ordinal);
        Assert.Contains($"records entry {recordedHead} ", message, StringComparison.Ordinal);
        Assert.Contains($"run `{command}`", message, StringComparison.Ordinal);
        Assert.Contains("\"OpenThymos: Refresh\"", message, StringComparison.Ordinal);
        Assert.Equal(temp.Workspace, error.GetProperty("data").GetProperty("folder").GetString());
        Assert.Equal(command, error.GetProperty("data").GetProperty("command").GetString());
        Assert.Contains(message[..60], refused.Stderr, StringComparison.Ordinal);
        foreach (var name in ledgerFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(backup, name)), File.ReadAllBytes(Path.Combine(temp.Workspace, ".thymos", name)));
        }
    }

    [Fact]
    public async Task ASidecarOnACopiedWorkspaceFolderAnswersInitializeWithWorkspaceCopiedNamingBothFoldersAndTheCommandAndExitsWithCodeFive()
    {
        using var temp = new TempWorkspace();
        File.WriteAllText(Path.Combine(temp.Workspace, "a.txt"), "alpha\n");
        await ServeOnceAsync(temp.Workspace, temp.KeyDirectory);
        var copy = Path.Combine(temp.Root, "copy");
        CopyFolder(temp.Workspace, copy);
        var bindingFile = Directory.EnumerateFiles(temp.KeyDirectory, "folder.json", SearchOption.AllDirectories).Single();
        var bindingBefore = File.ReadAllText(bindingFile);

        await using var refused = Sidecar(copy, temp.KeyDirectory, "--stdio");
        await refused.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        var error = (await refused.WaitForFrameAsync(1)).RootElement.GetProperty("error");
        refused.CloseInput();
        Assert.Equal(5, await refused.ExitCodeAsync());

        Assert.Equal(ErrorCodes.WorkspaceCopied, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        var command = $"rm {copy}/.thymos/ledger.db {copy}/.thymos/ledger-log.db";
        Assert.Contains($"The folder '{copy}' holds a copy of workspace ", message, StringComparison.Ordinal);
        Assert.Contains($"which belongs to '{temp.Workspace}'", message, StringComparison.Ordinal);
        Assert.Contains($"(`{command}`)", message, StringComparison.Ordinal);
        Assert.Contains("\"OpenThymos: Refresh\"", message, StringComparison.Ordinal);
        Assert.Equal(copy, error.GetProperty("data").GetProperty("folder").GetString());
        Assert.Equal(command, error.GetProperty("data").GetProperty("command").GetString());
        Assert.Equal(bindingBefore, File.ReadAllText(bindingFile));

        // The original is untouched and still serves.
        Assert.True(await ServeOnceAsync(temp.Workspace, temp.KeyDirectory) >= 1);
    }

    /// <summary>Starts the sidecar on a folder, initializes it, sends <paramref name="requests"/> (ids 5 and up), shuts it down; returns the head seq at the end.</summary>
    private static async Task<long> ServeOnceAsync(string workspace, string keyDirectory, params string[] requests)
    {
        await using var sidecar = Sidecar(workspace, keyDirectory);
        await sidecar.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        await sidecar.WaitForFrameAsync(1);
        for (var i = 0; i < requests.Length; i++)
        {
            await sidecar.SendAsync(requests[i]);
            var answer = await sidecar.WaitForFrameAsync(5 + i);
            Assert.False(answer.RootElement.TryGetProperty("error", out var error), $"request {5 + i} failed: {error}");
        }

        await sidecar.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"ledger/listEntries","params":{"limit":1}}""");
        var head = (await sidecar.WaitForFrameAsync(2)).RootElement.GetProperty("result").GetProperty("headSeq").GetInt64();
        await sidecar.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"shutdown"}""");
        await sidecar.WaitForFrameAsync(3);
        await sidecar.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await sidecar.ExitCodeAsync());
        return head;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    private static SidecarProcess Sidecar(TempWorkspace temp, params string[] extraArgs) => Sidecar(temp.Workspace, temp.KeyDirectory, extraArgs);

    // OPENTHYMOS_SIDECAR points these tests at a published sidecar (npm test sets it to the Native AOT build in
    // dist/sidecar, so trimming or reflection breakage in the shipped binary fails here); else the dll next to us.
    private static SidecarProcess Sidecar(string workspace, string keyDirectory, params string[] extraArgs) =>
        SidecarProcess.Start(workspace, keyDirectory, new SidecarStart { Arguments = extraArgs, LogLevel = "debug", Stop = SidecarStop.Kill });
}
