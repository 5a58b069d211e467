// The workspace signing key: where it lives, its permissions, and signing and verifying with it.
using System.Runtime.Versioning;
using System.Text;
using OpenThymos.Core.Signing;
using Xunit;

namespace OpenThymos.Core.Tests.Signing;

// Permission modes are a Unix concept; on Windows the key relies on the profile folder's ACL.
[UnsupportedOSPlatform("windows")]
public sealed class WorkspaceKeyTests : IDisposable
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("hello");

    private readonly TempWorkspace _keys = new(createKeyDirectory: true);

    public void Dispose() => _keys.Dispose();

    private WorkspaceKey Key(string id = "ws-1") => WorkspaceKey.LoadOrCreate(_keys.KeyDirectory, id);

    private void Refused(string expectedFragment, string id = "ws-1") =>
        Assert.Contains(expectedFragment, Assert.Throws<WorkspaceKeyException>(() => Key(id)).Message, StringComparison.Ordinal);

    [Fact] public void TheKeyFileHoldsA32ByteSeed() => Assert.Equal(32, File.ReadAllBytes(Key().KeyPath).Length);
    [Fact] public void TheKeyFileIsInTheWorkspacesFolder() => Assert.Equal(Path.Combine(_keys.KeyDirectory, "ws-1", "workspace.ed25519"), Key().KeyPath);
    [Fact] public void TheKeyFileIsOwnerOnly() => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Key().KeyPath));
    [Fact] public void TheKeyFolderIsOwnerOnly() => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(Key().KeyPath)!));
    [Fact] public void NoTemporaryFilesAreLeftBehind() => Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Key().KeyPath)!));
    [Fact] public void LoadingAgainGivesTheSameKey() => Assert.Equal(Key().PublicKeyHex, Key().PublicKeyHex);
    [Fact] public void EachWorkspaceGetsItsOwnKey() => Assert.NotEqual(Key("ws-1").PublicKeyHex, Key("ws-2").PublicKeyHex);
    [Fact] public void ThePublicKeyIs64HexDigits() => Assert.Matches("^[0-9a-f]{64}$", Key().PublicKeyHex);
    [Fact] public void ASignatureVerifies() => Assert.True(WorkspaceKey.Verify(Key().PublicKeyHex, Data, Key().Sign(Data)));
    [Fact] public void ASignatureOverOtherDataFails() => Assert.False(WorkspaceKey.Verify(Key().PublicKeyHex, Encoding.UTF8.GetBytes("hellO"), Key().Sign(Data)));
    [Fact] public void AnotherWorkspacesKeyFails() => Assert.False(WorkspaceKey.Verify(Key("ws-2").PublicKeyHex, Data, Key().Sign(Data)));
    [Fact] public void AMalformedPublicKeyFails() => Assert.False(WorkspaceKey.Verify("zz", Data, Key().Sign(Data)));
    [Fact] public void AShortSignatureFails() => Assert.False(WorkspaceKey.Verify(Key().PublicKeyHex, Data, new byte[63]));
    [Fact] public void UnsafeWorkspaceIdsAreRejected() => Assert.Throws<ArgumentException>(() => Key(".."));
    [Fact] public void WorkspaceIdsWithSlashesAreRejected() => Assert.Throws<ArgumentException>(() => Key("a/b"));

    [Fact]
    public void AGroupReadableKeyFileIsRefused()
    {
        var path = Key().KeyPath;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Refused($"run 'chmod 600 {path}'");
    }

    [Fact]
    public void AWorldReadableKeyFolderIsRefused()
    {
        var folder = Path.GetDirectoryName(Key().KeyPath)!;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Refused($"run 'chmod 700 {folder}'");
    }

    [Fact]
    public void ASymbolicLinkKeyFileIsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_keys.KeyDirectory, "ws-1"));
        File.SetUnixFileMode(Path.Combine(_keys.KeyDirectory, "ws-1"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(_keys.KeyDirectory, "ws-1", "workspace.ed25519"), "/dev/null");
        Refused("is a symbolic link");
    }

    [Fact]
    public void ATruncatedKeyFileIsRefused()
    {
        var path = Key().KeyPath;
        File.WriteAllBytes(path, new byte[31]);
        Refused("holds 31 bytes");
    }

    [Fact]
    public void TheDefaultKeyDirectoryHonoursTheEnvironmentVariable()
    {
        var previous = Environment.GetEnvironmentVariable("OPENTHYMOS_KEY_DIR");
        Environment.SetEnvironmentVariable("OPENTHYMOS_KEY_DIR", _keys.KeyDirectory);
        try
        {
            Assert.Equal(_keys.KeyDirectory, WorkspaceKey.DefaultKeyDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENTHYMOS_KEY_DIR", previous);
        }
    }
}
