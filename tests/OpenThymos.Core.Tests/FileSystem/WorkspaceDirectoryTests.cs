// WorkspaceDirectory never follows a link on the way, with openat2 and with the component-wise fallback alike.
using OpenThymos.Core.FileSystem;
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryRefusalNamesTheLinkOnTheWayAndWhereItPointsWithOpenat2AndWithTheComponentWiseFallback(bool componentWise)
    {
        WorkspaceDirectory.ForceComponentWiseResolution(componentWise);
        try
        {
            using var temp = new TempWorkspace();
            var outside = Path.Combine(temp.Root, "outside");
            Directory.CreateDirectory(outside);
            File.WriteAllText(Path.Combine(outside, "a.txt"), "outside canary\n");
            temp.Write("src/deep/a.txt", "inside\n");
            temp.Write("notes.txt", "a file\n");
            Directory.CreateSymbolicLink(temp.PathOf("src/lib"), outside);
            Directory.CreateSymbolicLink(temp.PathOf("alias"), "src");
            using var workspace = new WorkspaceDirectory(temp.Workspace);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var temporary = workspace.CreateTemporary("approved\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite, flushToDisk: false);

            var leaving = $"Path 'src/lib/a.txt' leaves the workspace through the symbolic link 'src/lib' (to '{outside}'); only files inside the workspace can be edited.";
            Assert.Equal(leaving, Assert.Throws<WorkspacePathException>(() => workspace.ReadFile("src/lib/a.txt")).Message);
            Assert.Equal(leaving, Assert.Throws<WorkspacePathException>(() => workspace.Delete("src/lib/a.txt", touched)).Message);
            Assert.Contains("leaves the workspace through the symbolic link 'src/lib'", Assert.Throws<WorkspacePathException>(() => workspace.Publish(temporary, "src/lib/new/b.txt", touched)).Message, StringComparison.Ordinal);
            Assert.Contains("goes through the symbolic link 'alias' (to 'src'); writing through links would bypass path scopes", Assert.Throws<WorkspacePathException>(() => workspace.Publish(temporary, "alias/deep/a.txt", touched)).Message, StringComparison.Ordinal);
            Assert.Contains("goes through 'notes.txt', which is a file, not a folder", Assert.Throws<WorkspacePathException>(() => workspace.ReadFile("notes.txt/x")).Message, StringComparison.Ordinal);

            Assert.Equal("outside canary\n", File.ReadAllText(Path.Combine(outside, "a.txt")));
            Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        }
        finally
        {
            WorkspaceDirectory.ForceComponentWiseResolution(false);
        }
    }

    [Fact]
    public void TheApplierReportsALinkAsAStateThatMatchesNoLedgerStateRatherThanAsAHash()
    {
        using var temp = new TempWorkspace();
        var outside = Path.Combine(temp.Root, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "a.txt"), "outside\n");
        Directory.CreateSymbolicLink(temp.PathOf("link"), outside);
        temp.Write("a.txt", "inside\n");
        using var applier = new OpenThymos.Core.Apply.AtomicApplier(temp.Workspace);

        var linked = applier.StateOnDisk("link/a.txt");
        var regular = applier.StateOnDisk("a.txt");

        Assert.True(linked.IsNotARegularFile);
        Assert.Null(linked.Hash);
        Assert.False(linked.Is(null), "a link is not an absent file");
        Assert.False(linked.Is("not-a-regular-file"), "no text, not even the old sentinel, matches a link");
        Assert.True(regular.Is(OpenThymos.Core.Hashing.ContentHash.Of("inside\n"u8.ToArray()).ToString()));
        Assert.True(applier.StateOnDisk("gone.txt").Is(null));
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
