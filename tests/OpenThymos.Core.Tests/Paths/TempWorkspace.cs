// A throwaway workspace folder under the system temp directory, so tests never touch real user files.
using System.Diagnostics;

namespace OpenThymos.Core.Tests.Paths;

internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "thymos-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string content = "x")
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Folder(string relative) => Directory.CreateDirectory(Path.Combine(Root, relative));

    public void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(Root, relative), target);

    public void Fifo(string relative)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", Path.Combine(Root, relative)) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed");
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
