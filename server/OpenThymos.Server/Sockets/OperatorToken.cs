// The operator token: a per-run secret in an owner-only file that lets the CLI use the editor surface on the socket.
using System.Security.Cryptography;

namespace OpenThymos.Server.Sockets;

/// <summary>Generated at startup (32 random bytes, hex), written with mode 0600, deleted at exit.</summary>
public sealed class OperatorToken : IDisposable
{
    private OperatorToken(string path, string value)
    {
        Path = path;
        Value = value;
    }

    /// <summary>The token file.</summary>
    public string Path { get; }

    /// <summary>The token.</summary>
    public string Value { get; }

    /// <summary>The default token path for a workspace.</summary>
    public static string DefaultPath(string keyDirectory, string workspaceId) =>
        System.IO.Path.Combine(keyDirectory, workspaceId, "operator.token");

    /// <summary>
    /// Generates a token for <paramref name="path"/> without writing it: the sidecar writes the file (<see cref="Publish"/>)
    /// only once its socket listens, so a client that finds the file can connect at once rather than be refused and
    /// conclude that no sidecar runs.
    /// </summary>
    public static OperatorToken Generate(string path) =>
        new(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Writes the token to its file with mode 0600 (replacing any old one, left by a sidecar that crashed).</summary>
    public void Publish()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Delete first so the new file is created with the owner-only mode rather than inheriting an old one.
        File.Delete(Path);
        using var stream = new FileStream(Path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(Value);
    }

    /// <summary>Deletes the token file.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
