// The per-workspace Ed25519 key that signs writs, stored with owner-only permissions.
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace OpenThymos.Core.Signing;

/// <summary>
/// An Ed25519 key pair for one workspace. The 32-byte private seed lives in
/// <c>&lt;keyDirectory&gt;/&lt;workspaceId&gt;/workspace.ed25519</c>; on Unix the folder is 0700 and
/// the file 0600, and the file is never created with broader permissions, not even briefly.
/// </summary>
public sealed class WorkspaceKey
{
    /// <summary>The key file's name inside the workspace's key folder.</summary>
    public const string FileName = "workspace.ed25519";

    private const int SeedSize = 32;
    private const int SignatureSize = 64;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly Ed25519PrivateKeyParameters _privateKey;

    private WorkspaceKey(byte[] seed, string workspaceId, string keyPath)
    {
        _privateKey = new Ed25519PrivateKeyParameters(seed);
        WorkspaceId = workspaceId;
        KeyPath = keyPath;
        PublicKeyHex = Convert.ToHexStringLower(_privateKey.GeneratePublicKey().GetEncoded());
    }

    /// <summary>The workspace this key belongs to.</summary>
    public string WorkspaceId { get; }

    /// <summary>The absolute path of the private seed file.</summary>
    public string KeyPath { get; }

    /// <summary>The 32-byte public key as 64 lowercase hex digits.</summary>
    public string PublicKeyHex { get; }

    /// <summary>
    /// The key folder: <c>$OPENTHYMOS_KEY_DIR</c> if set, else <c>$XDG_DATA_HOME/openthymos/keys</c>,
    /// else <c>~/.local/share/openthymos/keys</c>.
    /// </summary>
    public static string DefaultKeyDirectory()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable("OPENTHYMOS_KEY_DIR");
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return explicitDirectory;
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(dataHome))
        {
            return Path.Combine(dataHome, "openthymos", "keys");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "openthymos", "keys");
    }

    /// <summary>Loads the workspace's key, creating it on first use.</summary>
    /// <param name="keyDirectory">The folder holding one sub-folder per workspace.</param>
    /// <param name="workspaceId">The workspace id; letters, digits, '.', '_' and '-' only.</param>
    /// <exception cref="WorkspaceKeyException">The key file or folder is accessible to others, is a link, or is malformed.</exception>
    public static WorkspaceKey LoadOrCreate(string keyDirectory, string workspaceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyDirectory);
        ValidateWorkspaceId(workspaceId);
        var folder = Path.Combine(Path.GetFullPath(keyDirectory), workspaceId);
        var keyPath = Path.Combine(folder, FileName);
        CreateFolder(Path.GetFullPath(keyDirectory));
        CreateFolder(folder);
        RequireOwnerOnly(folder, isFolder: true);
        if (!File.Exists(keyPath) && new FileInfo(keyPath).LinkTarget is null)
        {
            TryCreate(keyPath);
        }

        return Load(keyPath, workspaceId);
    }

    /// <summary>Signs data with the workspace's private key; returns the 64-byte Ed25519 signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>Verifies an Ed25519 signature; false for a bad signature or a malformed key or signature.</summary>
    public static bool Verify(string publicKeyHex, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKeyHex is null || publicKeyHex.Length != SeedSize * 2 || signature.Length != SignatureSize)
        {
            return false;
        }

        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(Convert.FromHexString(publicKeyHex)));
            verifier.BlockUpdate(data);
            return verifier.VerifySignature(signature.ToArray());
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="workspaceId"/> can name a folder of its own in the key folder: letters, digits, '.', '_'
    /// and '-' only, at most 128, not '.' or '..' (the id becomes a folder name, so it must not be able to name any other).
    /// </summary>
    public static bool IsValidWorkspaceId(string? workspaceId) =>
        !string.IsNullOrEmpty(workspaceId) && workspaceId.Length <= 128 && workspaceId is not "." and not ".."
        && workspaceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void ValidateWorkspaceId(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        if (!IsValidWorkspaceId(workspaceId))
        {
            throw new ArgumentException($"Workspace id '{workspaceId}' may only use letters, digits, '.', '_' and '-' (at most 128), and cannot be '.' or '..'.", nameof(workspaceId));
        }
    }

    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    // Writes a new seed to a private temporary file and links it into place, so a reader never sees
    // a partial key and a concurrent creator's key is kept rather than overwritten.
    private static void TryCreate(string keyPath)
    {
        var temporary = keyPath + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        var seed = RandomNumberGenerator.GetBytes(SeedSize);
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(seed);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, keyPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(keyPath))
        {
            // Another process created the key first; use theirs.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            File.Delete(temporary);
        }
    }

    private static WorkspaceKey Load(string keyPath, string workspaceId)
    {
        if (new FileInfo(keyPath).LinkTarget is not null)
        {
            throw new WorkspaceKeyException($"Key file '{keyPath}' is a symbolic link; replace it with the key file itself so its permissions can be trusted.");
        }

        RequireOwnerOnly(keyPath, isFolder: false);
        var seed = File.ReadAllBytes(keyPath);
        try
        {
            if (seed.Length != SeedSize)
            {
                throw new WorkspaceKeyException($"Key file '{keyPath}' holds {seed.Length} bytes, not a {SeedSize}-byte Ed25519 seed; restore it from a backup or delete it to create a new key (writs signed by the old key will stop verifying).");
            }

            return new WorkspaceKey(seed, workspaceId, keyPath);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static void RequireOwnerOnly(string path, bool isFolder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            var wanted = isFolder ? "700" : "600";
            var what = isFolder ? "Key folder" : "Key file";
            throw new WorkspaceKeyException($"{what} '{path}' is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run 'chmod {wanted} {path}' and try again.");
        }
    }
}
