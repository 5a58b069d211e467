// The one throw-away workspace of the test suites: a workspace folder and a key folder under the system temp directory,
// so no test touches the user's files or home folder.
using System.Diagnostics;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;

namespace OpenThymos.Testing;

/// <summary>
/// Creates a fresh <see cref="Workspace"/> (and, beside it, the <see cref="KeyDirectory"/> the workspace key and head anchor
/// go to) under one <see cref="Root"/> per test, and deletes the whole root afterwards. The key directory is created only
/// when asked, so tests of how the product creates it see it created by the product.
/// </summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace(bool createKeyDirectory = false)
    {
        Root = Path.Combine(Path.GetTempPath(), "thymos-test-" + Guid.NewGuid().ToString("N")[..12]);
        Workspace = Path.Combine(Root, "workspace");
        KeyDirectory = Path.Combine(Root, "keys");
        Directory.CreateDirectory(Workspace);
        if (createKeyDirectory)
        {
            Directory.CreateDirectory(KeyDirectory);
        }
    }

    /// <summary>The folder holding the workspace, the key directory and anything a test puts beside them.</summary>
    public string Root { get; }

    /// <summary>The workspace folder (the folder a sidecar serves).</summary>
    public string Workspace { get; }

    /// <summary>The key directory (<c>--key-dir</c>), outside the workspace.</summary>
    public string KeyDirectory { get; }

    /// <summary>Where the workspace's ledger file is.</summary>
    public string LedgerPath => LedgerOptions.DefaultLedgerPath(Workspace);

    /// <summary>Ledger options for this workspace and key directory, with the default store.</summary>
    public LedgerOptions Options(TimeProvider? clock = null) => new()
    {
        WorkspaceRoot = Workspace,
        StoreFactory = LedgerStores.Default,
        KeyDirectory = KeyDirectory,
        HolderDescription = "test",
        Clock = clock ?? TimeProvider.System,
    };

    /// <summary>The full path of a workspace-relative path.</summary>
    public string PathOf(string relative) => Path.Combine(Workspace, relative);

    /// <summary>Writes a workspace file as UTF-8 (creating its folders) and returns its full path.</summary>
    public string Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes a workspace file's bytes (creating its folders) and returns its full path.</summary>
    public string Write(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a file beside the workspace (not in it) and returns its path, for options such as <c>--from</c>.</summary>
    public string WriteOutside(string text)
    {
        var path = Path.Combine(Root, Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(path, text);
        return path;
    }

    public byte[] Read(string relative) => File.ReadAllBytes(PathOf(relative));

    public string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Creates a workspace folder.</summary>
    public void Folder(string relative) => Directory.CreateDirectory(PathOf(relative));

    /// <summary>Creates a symbolic link in the workspace pointing at <paramref name="target"/>, as written.</summary>
    public void Link(string relative, string target) => File.CreateSymbolicLink(PathOf(relative), target);

    /// <summary>Creates a named pipe in the workspace.</summary>
    public void Fifo(string relative)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", PathOf(relative)) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {PathOf(relative)} failed with exit code {process.ExitCode}.");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
