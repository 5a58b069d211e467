// A throw-away workspace and key directory under the system temp folder.
namespace OpenThymos.Reliability.Tests.Support;

/// <summary>Creates a workspace and key directory for one test and deletes both afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "thymos-reliab-" + Guid.NewGuid().ToString("N")[..12]);
        Workspace = Path.Combine(Root, "workspace");
        KeyDirectory = Path.Combine(Root, "keys");
        Directory.CreateDirectory(Workspace);
    }

    public string Root { get; }

    public string Workspace { get; }

    public string KeyDirectory { get; }

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
