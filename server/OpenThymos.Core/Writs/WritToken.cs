// The text form an agent presents: "thymos-writ-v1." + base64url(canonical JSON) + "." + base64url(signature).
using System.Buffers.Text;

namespace OpenThymos.Core.Writs;

/// <summary>
/// Converts signed writs to and from tokens. Parsing checks the form only; call
/// <see cref="SignedWrit.Verify"/> with the workspace's public key before trusting the writ.
/// </summary>
public static class WritToken
{
    /// <summary>The prefix every version-1 token starts with.</summary>
    public const string Prefix = "thymos-writ-v1.";

    // Real tokens are a few hundred bytes; the cap stops a huge header from costing real work.
    private const int MaxLength = 64 * 1024;

    /// <summary>Formats a signed writ as a token.</summary>
    public static string Format(SignedWrit signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return Prefix + Base64Url.EncodeToString(WritCanonicalForm.Encode(signed.Writ)) + "." + Base64Url.EncodeToString(Convert.FromHexString(signed.SignatureHex));
    }

    /// <summary>Parses a token into its writ and signature, without verifying the signature.</summary>
    /// <exception cref="WritTokenException">The token is malformed; the message says how.</exception>
    public static SignedWrit Parse(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new WritTokenException("The writ token is empty; pass the token printed when the writ was issued.");
        }

        if (token.Length > MaxLength)
        {
            throw new WritTokenException($"The writ token is {token.Length} characters long, more than any real writ; pass the token printed when the writ was issued.");
        }

        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new WritTokenException($"The writ token does not start with '{Prefix}'; it may be truncated or from another tool.");
        }

        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new WritTokenException($"The writ token must be '{Prefix}<writ>.<signature>'; it may be truncated.");
        }

        var payload = Decode(parts[0], "writ");
        var signature = Decode(parts[1], "signature");
        if (signature.Length != 64)
        {
            throw new WritTokenException($"The writ token's signature has {signature.Length} bytes, not 64; the token may be truncated.");
        }

        try
        {
            return new SignedWrit(WritCanonicalForm.Decode(payload), Convert.ToHexStringLower(signature));
        }
        catch (FormatException e)
        {
            throw new WritTokenException($"The writ token does not hold a valid writ: {e.Message}", e);
        }
    }

    /// <summary>Parses a token, returning false and a message instead of throwing.</summary>
    public static bool TryParse(string token, out SignedWrit? signed, out string? error)
    {
        try
        {
            signed = Parse(token);
            error = null;
            return true;
        }
        catch (WritTokenException e)
        {
            signed = null;
            error = e.Message;
            return false;
        }
    }

    private static byte[] Decode(string part, string what)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException e)
        {
            throw new WritTokenException($"The writ token's {what} part is not base64url; the token may be damaged or truncated.", e);
        }
    }
}
