// WorkspaceDirectory never follows a link on the way, with openat2 and with the component-wise fallback alike.
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.FileSystem;

public sealed class WorkspaceDirectoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryOperationRefusesALinkOnTheWayWithOpenat2AndWithTheComponentWiseFallback(bool componentWise)
    {
        WorkspaceDirectory.ForceComponentWiseResolution(componentWise);
        try
        {
            using var temp = new TempWorkspace();
            var outside = Path.Combine(temp.Root, "outside");
            Directory.CreateDirectory(outside);
            File.WriteAllText(Path.Combine(outside, "a.txt"), "outside canary\n");
            temp.Write("src/a.txt", "inside\n");
            Directory.CreateSymbolicLink(temp.PathOf("link"), outside);
            File.CreateSymbolicLink(temp.PathOf("file-link"), Path.Combine(outside, "a.txt"));
            using var workspace = new WorkspaceDirectory(temp.Workspace);
            var touched = new HashSet<string>(StringComparer.Ordinal);

            Assert.Equal("inside\n", System.Text.Encoding.UTF8.GetString(workspace.ReadFile("src/a.txt")!));
            Assert.Equal(WorkspaceEntryKind.SymbolicLink, Assert.Throws<WorkspacePathException>(() => workspace.ReadFile("link/a.txt")).Found);
            Assert.Equal(WorkspaceEntryKind.SymbolicLink, Assert.Throws<WorkspacePathException>(() => workspace.ReadFile("file-link")).Found);
            Assert.Equal((WorkspaceEntryKind.SymbolicLink, null), workspace.HashFile("link/a.txt"));
            Assert.Equal(WorkspaceEntryKind.SymbolicLink, workspace.KindOf("file-link"));
            Assert.NotEqual(WorkspaceEntryKind.RegularFile, workspace.KindOf("link/a.txt"));
            Assert.Null(workspace.ModeOf("link/a.txt"));

            var temporary = workspace.CreateTemporary("approved\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite, flushToDisk: false);
            Assert.Throws<WorkspacePathException>(() => workspace.Publish(temporary, "link/a.txt", touched));
            Assert.Throws<WorkspacePathException>(() => workspace.Publish(temporary, "link/new/b.txt", touched));
            Assert.Throws<WorkspacePathException>(() => workspace.Delete("link/a.txt", touched));
            workspace.Publish(temporary, "src/new/b.txt", touched);

            Assert.Equal("outside canary\n", File.ReadAllText(Path.Combine(outside, "a.txt")));
            Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
            Assert.Equal("approved\n", temp.ReadText("src/new/b.txt"));
            Assert.Equal(["src/a.txt", "src/new/b.txt"], workspace.ListFiles((name, _) => name != ".thymos", CancellationToken.None).Order(StringComparer.Ordinal));
        }
        finally
        {
            WorkspaceDirectory.ForceComponentWiseResolution(false);
        }
    }

    [Fact]
    public void AFifoIsReportedAsNotARegularFileInsteadOfHangingTheReader()
    {
        using var temp = new TempWorkspace();
        Directory.CreateDirectory(temp.PathOf("src"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", temp.PathOf("src/pipe")))
        {
            Assert.True(mkfifo.WaitForExit(30_000));
        }

        using var workspace = new WorkspaceDirectory(temp.Workspace);

        Assert.Equal(WorkspaceEntryKind.Other, Assert.Throws<WorkspacePathException>(() => workspace.ReadFile("src/pipe")).Found);
        Assert.Empty(workspace.ListFiles((_, _) => true, CancellationToken.None));
    }
}
