// TEMPORARY stand-in until the writs branch lands; replaced at merge.
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace OpenThymos.Core.Writs;

/// <summary>Ed25519 workspace key.</summary>
public sealed class WorkspaceKey
{
    private readonly Ed25519PrivateKeyParameters _private;

    private WorkspaceKey(Ed25519PrivateKeyParameters key) => _private = key;

    /// <summary>Public key hex.</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(_private.GeneratePublicKey().GetEncoded());

    /// <summary>Default key directory.</summary>
    public static string DefaultKeyDirectory() => Environment.GetEnvironmentVariable("OPENTHYMOS_KEY_DIR") ?? "/tmp/thymos-keys";

    /// <summary>Loads or creates.</summary>
    public static WorkspaceKey LoadOrCreate(string keyDirectory, string workspaceId)
    {
        var directory = Path.Combine(keyDirectory, workspaceId);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "workspace.ed25519");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        return new WorkspaceKey(new Ed25519PrivateKeyParameters(File.ReadAllBytes(path)));
    }

    /// <summary>Signs.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(data.ToArray(), 0, data.Length);
        return signer.GenerateSignature();
    }

    /// <summary>Verifies.</summary>
    public static bool Verify(string publicKeyHex, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(Convert.FromHexString(publicKeyHex)));
        verifier.BlockUpdate(data.ToArray(), 0, data.Length);
        return verifier.VerifySignature(signature.ToArray());
    }
}
