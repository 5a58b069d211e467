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

    /// <summary>Generates a token and writes it to <paramref name="path"/> (replacing any old one).</summary>
    public static OperatorToken Create(string path)
    {
        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Delete first so the new file is created with the owner-only mode rather than inheriting an old one.
        File.Delete(path);
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(value);
        }
        return new OperatorToken(path, value);
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
