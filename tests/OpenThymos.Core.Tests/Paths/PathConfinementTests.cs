// Path confinement, written as data: each case is a candidate path and the expected verdict.
using System.Net.Sockets;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Paths;
using Xunit;

namespace OpenThymos.Core.Tests.Paths;

public sealed class PathConfinementTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    // Null expected code means the path must be allowed and come back unchanged.
    private PathCheck Check(string candidate, PathRefusalCode? expected, string? reasonFragment = null)
    {
        var result = new PathConfinement(_workspace.Workspace).Check(candidate);
        Assert.Equal(expected, result.Code);
        if (expected is null)
        {
            Assert.True(result.IsAllowed);
            Assert.Equal(candidate, result.Path.ToString());
        }
        else
        {
            Assert.False(result.IsAllowed);
            Assert.Null(result.Path);
            Assert.Contains(reasonFragment ?? "'", result.Reason, StringComparison.Ordinal);
        }

        return result;
    }

    [Fact] public void ASimpleRelativePathIsAllowed() => Check("src/app.ts", null);
    [Fact] public void ATopLevelFileIsAllowed() => Check("README.md", null);
    [Fact] public void AnExistingRegularFileIsAllowed() { _workspace.Write("src/app.ts", "x"); Check("src/app.ts", null); }
    [Fact] public void DotfilesAreAllowed() => Check(".eslintrc", null);
    [Fact] public void NamesWithDotsInsideAreAllowed() => Check("a..b/c...d", null);
    [Fact] public void NonAsciiNamesAreAllowed() => Check("docs/café.md", null);
    [Fact] public void EmptyPathsAreRefused() => Check("", PathRefusalCode.Empty, "empty");
    [Fact] public void DotDotSegmentsAreRefused() => Check("../etc/passwd", PathRefusalCode.ParentSegment, "Path '../etc/passwd' leaves the workspace through '..'; send a path relative to the workspace root such as 'src/app.ts'.");
    [Fact] public void DotDotSegmentsInTheMiddleAreRefused() => Check("src/../../x", PathRefusalCode.ParentSegment);
    [Fact] public void DotSegmentsAreRefused() => Check("./src/app.ts", PathRefusalCode.DotSegment, "'.'");
    [Fact] public void LeadingSlashIsRefusedAsAbsolute() => Check("/etc/passwd", PathRefusalCode.Absolute, "absolute");
    [Fact] public void DriveLettersAreRefusedAsAbsolute() => Check("C:/Windows/win.ini", PathRefusalCode.Absolute);
    [Fact] public void DriveRelativePathsAreRefusedAsAbsolute() => Check("c:foo", PathRefusalCode.Absolute);
    [Fact] public void BackslashesAreRefused() => Check("src\\app.ts", PathRefusalCode.Backslash, "'/'");
    [Fact] public void DoubleSlashesAreRefused() => Check("a//b", PathRefusalCode.EmptySegment);
    [Fact] public void TrailingSlashesAreRefused() => Check("src/", PathRefusalCode.EmptySegment);
    [Fact] public void NulBytesAreRefused() => Check("a\0b", PathRefusalCode.NulByte, "a<U+0000>b");
    [Fact] public void NewlinesAreRefused() => Check("a\nb", PathRefusalCode.ControlCharacter);
    [Fact] public void DeleteCharactersAreRefused() => Check("a\u007fb", PathRefusalCode.ControlCharacter);
    [Fact] public void PathsOverFourKilobytesAreRefused() => Check(string.Join('/', Enumerable.Repeat(new string('a', 200), 21)), PathRefusalCode.TooLong);
    [Fact] public void PathsOfExactlyFourKilobytesAreAllowed() => Check(string.Join('/', Enumerable.Repeat(new string('a', 240), 17)), null);
    [Fact] public void SegmentsOver255BytesAreRefused() => Check(new string('a', 256), PathRefusalCode.SegmentTooLong);
    [Fact] public void SegmentLengthCountsUtf8Bytes() => Check(new string('é', 128), PathRefusalCode.SegmentTooLong);
    [Fact] public void WindowsDeviceNamesAreRefused() => Check("src/con.ts", PathRefusalCode.ReservedName, "reserved");
    [Fact] public void WindowsDeviceNamesAreRefusedWithoutExtension() => Check("NUL", PathRefusalCode.ReservedName);
    [Fact] public void NamesThatMerelyStartLikeDevicesAreAllowed() => Check("console.ts", null);
    [Fact] public void DirectoriesAreRefused() { _workspace.Folder("src"); Check("src", PathRefusalCode.NotARegularFile, "directory"); }
    [Fact] public void PathsThroughAFileAreRefused() { _workspace.Write("a.txt", "x"); Check("a.txt/b", PathRefusalCode.NotARegularFile, "'a.txt'"); }
    [Fact] public void FifosAreRefused() { _workspace.Fifo("pipe"); Check("pipe", PathRefusalCode.NotARegularFile, "FIFO"); }
    [Fact] public void SocketsAreRefused() { using var socket = BindSocket("sock"); Check("sock", PathRefusalCode.NotARegularFile, "socket"); }
    [Fact] public void DevicesAreRefused() => Assert.Equal(PathRefusalCode.NotARegularFile, new PathConfinement("/dev").Check("null").Code);
    [Fact] public void LinksToDevicesAreRefused() { _workspace.Link("null", "/dev/null"); Check("null", PathRefusalCode.SymbolicLink, "leaves the workspace through the symbolic link 'null'"); }
    [Fact] public void LinkedFoldersOutsideAreRefused() { _workspace.Link("etc", "/etc"); Check("etc/passwd", PathRefusalCode.SymbolicLink, "leaves the workspace through the symbolic link 'etc'"); }
    [Fact] public void LinksInsideTheWorkspaceAreRefused() { _workspace.Write("real.ts", "x"); _workspace.Link("alias.ts", "real.ts"); Check("alias.ts", PathRefusalCode.SymbolicLink, "would bypass path scopes"); }
    [Fact] public void LinkedFoldersInsideTheWorkspaceAreRefused() { _workspace.Folder("src"); _workspace.Link("lib", "src"); Check("lib/new.ts", PathRefusalCode.SymbolicLink, "'lib'"); }
    [Fact] public void DanglingLinksAreRefused() { _workspace.Link("gone.ts", "/nonexistent/thymos"); Check("gone.ts", PathRefusalCode.SymbolicLink); }
    [Fact] public void LinksDeepInsideAreRefused() { _workspace.Folder("a/b"); _workspace.Link("a/b/c", "/tmp"); Check("a/b/c/d.ts", PathRefusalCode.SymbolicLink, "'a/b/c'"); }

    // Regressions found by the hostile-agent suite (tests/OpenThymos.Reliability.Tests): these names were accepted.
    [Fact] public void PercentEncodedDotDotIsRefusedAsADisguise() => Check("%2e%2e/x", PathRefusalCode.Disguised, "percent-encoding");
    [Fact] public void PercentEncodedSlashIsRefusedAsADisguise() => Check("..%2fx", PathRefusalCode.Disguised, "percent-encoding");
    [Fact] public void DoublePercentEncodedDotDotIsRefusedAsADisguise() => Check("a/%252e%252e/x", PathRefusalCode.Disguised, "percent-encoding");
    [Fact] public void OverlongUtf8DotEscapesAreRefusedAsADisguise() => Check("%c0%ae%c0%ae/x", PathRefusalCode.Disguised, "overlong");
    [Fact] public void OneDotLeadersThatLookLikeDotDotAreRefused() => Check("\u2024\u2024/x", PathRefusalCode.Disguised, "look-alikes of '.'");
    [Fact] public void FullwidthDotDotIsRefused() => Check("a/\uFF0E\uFF0E/x", PathRefusalCode.Disguised, "look-alikes of '.'");
    [Fact] public void DivisionSlashIsRefused() => Check("..\u2215x", PathRefusalCode.Disguised, "look-alike of '/'");
    [Fact] public void FullwidthSolidusIsRefused() => Check("..\uFF0Fx", PathRefusalCode.Disguised, "look-alike of '/'");
    [Fact] public void PercentSignsThatDecodeToPlainNamesAreAllowed() => Check("100%25/a%20b.txt", null);
    [Fact] public void AnEllipsisNameIsAllowed() => Check("\u2026.txt", null);
    [Fact] public void UnpairedSurrogatesAreRefused() => Check("a\uD800.txt", PathRefusalCode.InvalidUnicode, "<U+D800>");
    [Fact] public void TheReplacementCharacterIsRefused() => Check("caf\uFFFD.txt", PathRefusalCode.InvalidUnicode, "not valid Unicode");
    [Fact] public void SurrogatePairsAreAllowed() => Check("docs/\U0001F600.md", null);
    [Fact] public void HardLinkedFilesAreRefused() { _workspace.Write("a.txt", "x"); HardLink("a.txt", "b.txt"); Check("b.txt", PathRefusalCode.HardLink, "hard link: 2 names"); }
    [Fact] public void FilesWithOneLinkAreAllowed() { _workspace.Write("a.txt", "x"); Check("a.txt", null); }

    [Fact] public void ARootGivenWithATrailingSlashWorks() => Assert.True(new PathConfinement(_workspace.Workspace + "/").Check("a.ts").IsAllowed);

    // .NET has no API to make a hard link, so ask ln.
    private void HardLink(string existing, string link)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(_workspace.Workspace, existing), Path.Combine(_workspace.Workspace, link)]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    // The socket stays open for the check because .NET removes the socket file when it closes.
    private Socket BindSocket(string relative)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_workspace.Workspace, relative)));
        return socket;
    }
}
