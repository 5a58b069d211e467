// A throw-away workspace folder and key folder under the system temp directory.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;

namespace OpenThymos.Core.Tests.Support;

/// <summary>Creates a fresh workspace and key directory per test and deletes both afterwards.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "thymos-test-" + Guid.NewGuid().ToString("N")[..12]);
        Workspace = Path.Combine(Root, "workspace");
        KeyDirectory = Path.Combine(Root, "keys");
        Directory.CreateDirectory(Workspace);
    }

    public string Root { get; }

    public string Workspace { get; }

    public string KeyDirectory { get; }

    public string LedgerPath => LedgerOptions.DefaultLedgerPath(Workspace);

    public LedgerOptions Options(TimeProvider? clock = null) => new()
    {
        WorkspaceRoot = Workspace,
        StoreFactory = LedgerStores.Default,
        KeyDirectory = KeyDirectory,
        HolderDescription = "test",
        Clock = clock ?? TimeProvider.System,
    };

    public string PathOf(string relative) => Path.Combine(Workspace, relative);

    public void Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    public void Write(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public byte[] Read(string relative) => File.ReadAllBytes(PathOf(relative));

    public string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
