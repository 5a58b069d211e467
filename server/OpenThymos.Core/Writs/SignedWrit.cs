// A writ together with the workspace key's signature over its canonical form.
using System.Globalization;
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Writs;

/// <summary>A writ and the hex Ed25519 signature over <see cref="WritCanonicalForm.Encode"/> of it.</summary>
/// <param name="Writ">The writ.</param>
/// <param name="SignatureHex">The 64-byte signature as 128 lowercase hex digits.</param>
public sealed record SignedWrit(Writ Writ, string SignatureHex)
{
    /// <summary>Signs a writ with a workspace key.</summary>
    /// <exception cref="ArgumentException">The key belongs to another workspace than the writ names.</exception>
    public static SignedWrit Sign(Writ writ, WorkspaceKey key)
    {
        ArgumentNullException.ThrowIfNull(writ);
        ArgumentNullException.ThrowIfNull(key);
        if (!string.Equals(writ.WorkspaceId, key.WorkspaceId, StringComparison.Ordinal))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Writ {writ.Id} is for workspace '{writ.WorkspaceId}', but the key is for '{key.WorkspaceId}'."), nameof(key));
        }

        return new SignedWrit(writ, Convert.ToHexStringLower(key.Sign(WritCanonicalForm.Encode(writ))));
    }

    /// <summary>True when the signature is valid for this writ under the given public key.</summary>
    public bool Verify(string publicKeyHex)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(SignatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        return WorkspaceKey.Verify(publicKeyHex, WritCanonicalForm.Encode(Writ), signature);
    }
}
