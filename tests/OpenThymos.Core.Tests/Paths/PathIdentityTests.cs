// The identity key, written as data: each case is a spelling and the key the file system would take it for.
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Paths;
using Xunit;

namespace OpenThymos.Core.Tests.Paths;

public sealed class PathIdentityTests
{
    [Theory]
    [InlineData(".git/config", ".git/config")]
    [InlineData(".GIT/hooks/pre-commit", ".git/hooks/pre-commit")]
    [InlineData(".Git/config", ".git/config")]
    [InlineData(".git./config", ".git/config")]
    [InlineData(".git /config", ".git/config")]
    [InlineData(".git. . /config", ".git/config")]
    [InlineData(".git\u200B/config", ".git/config")]
    [InlineData(".g\u200Dit\uFEFF/config", ".git/config")]
    [InlineData(".git\u202E/config", ".git/config")]
    [InlineData(".git::$INDEX_ALLOCATION/config", ".git/config")]
    [InlineData(".THYMOS/policy.json", ".thymos/policy.json")]
    [InlineData("sub/.Thymos./policy.json", "sub/.thymos/policy.json")]
    [InlineData(".\u212Aube/config", ".kube/config")]
    [InlineData(".gi\u0301t/config", ".git/config")]
    [InlineData("Caf\u00C9/menu.txt", "caf\u00E9/menu.txt")]
    [InlineData("server.PEM", "server.pem")]
    [InlineData(".ENV", ".env")]
    [InlineData("src/app.ts", "src/app.ts")]
    [InlineData("a/.../b", "a/.../b")]
    public void TheKeyFoldsWhatFileSystemsTreatAsTheSameName(string path, string key) =>
        Assert.Equal(key, PathIdentity.Key(path));

    [Theory]
    [InlineData(0x200B, true)]
    [InlineData(0x200E, true)]
    [InlineData(0x2066, true)]
    [InlineData(0xFE0F, true)]
    [InlineData(0xE0041, true)]
    [InlineData(0x00AD, true)]
    [InlineData('a', false)]
    [InlineData(0x00E9, false)]
    [InlineData(0x4E2D, false)]
    public void DefaultIgnorableCodePointsAreRecognized(int codePoint, bool expected) =>
        Assert.Equal(expected, PathIdentity.IsDefaultIgnorable(codePoint));
}

public sealed class InvisibleCharacterPathTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(".git\u200B/config", "U+200B (ZERO WIDTH SPACE)")]
    [InlineData("src/app\u202E.ts", "U+202E (a bidirectional control)")]
    [InlineData("src/a\u2066pp.ts", "U+2066 (a bidirectional control)")]
    [InlineData("\uFEFFREADME.md", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)")]
    [InlineData("src/a\U000E0041.ts", "U+E0041")]
    public void APathHoldingAnInvisibleCharacterIsRefusedNamingIt(string path, string named)
    {
        var result = new PathConfinement(_workspace.Workspace).Check(path);
        Assert.Equal(PathRefusalCode.InvisibleCharacter, result.Code);
        Assert.Contains(named, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("\u200B", result.Reason, StringComparison.Ordinal);
    }
}
