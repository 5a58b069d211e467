// A signed note of the ledger's head kept outside the workspace, so that dropping the newest entries is detected.
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// A hash chain alone cannot tell a ledger whose newest entries were cut off from a shorter honest
/// one. After every acknowledged append the writer records the head seq and hash here, signed with
/// the workspace key, in the key directory (outside the workspace). Verify then requires the ledger
/// to reach at least this seq with this hash. The anchor is written after the ledger's fsync, so it
/// is never ahead of the ledger.
/// </summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="Seq">The head seq at the time of writing.</param>
/// <param name="Hash">The head entry hash.</param>
/// <param name="Signature">Ed25519 signature (hex) over <see cref="SignedText"/>.</param>
public sealed record HeadAnchor(
    [property: System.Text.Json.Serialization.JsonPropertyName("workspaceId")] string WorkspaceId,
    [property: System.Text.Json.Serialization.JsonPropertyName("seq")] long Seq,
    [property: System.Text.Json.Serialization.JsonPropertyName("hash")] string Hash,
    [property: System.Text.Json.Serialization.JsonPropertyName("signature")] string Signature)
{
    /// <summary>The file name of the anchor inside the workspace's key folder.</summary>
    public const string FileName = "head.json";

    /// <summary>The exact text that is signed.</summary>
    public string SignedText => $"openthymos-head-v1\n{WorkspaceId}\n{Seq}\n{Hash}\n";

    /// <summary>The anchor file for a workspace.</summary>
    public static string PathFor(string keyDirectory, string workspaceId) =>
        System.IO.Path.Combine(keyDirectory, workspaceId, FileName);

    /// <summary>Signs and writes the anchor (temp file and rename, so a reader never sees half of it).</summary>
    public static void Write(string keyDirectory, WorkspaceKey key, string workspaceId, long seq, string hash) =>
        Sign(key, workspaceId, seq, hash).WriteTo(PathFor(keyDirectory, workspaceId));

    /// <summary>Builds the signed anchor of a head.</summary>
    public static HeadAnchor Sign(WorkspaceKey key, string workspaceId, long seq, string hash)
    {
        var unsigned = new HeadAnchor(workspaceId, seq, hash, "");
        var signature = Convert.ToHexStringLower(key.Sign(Encoding.UTF8.GetBytes(unsigned.SignedText)));
        return unsigned with { Signature = signature };
    }

    /// <summary>
    /// Writes this anchor to <paramref name="path"/> (temp file and rename, so a reader never sees half of it),
    /// owner-only (0600) whatever the umask, creating the folder owner-only (0700) if it is missing.
    /// </summary>
    public void WriteTo(string path) => WriteTo(path, createFolder: true);

    /// <summary>As <see cref="WriteTo(string)"/>; a writer that already made the folder passes false and saves the calls.</summary>
    public void WriteTo(string path, bool createFolder)
    {
        if (createFolder)
        {
            OwnerOnly.CreateFolder(System.IO.Path.GetDirectoryName(path)!);
        }

        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, OwnerOnly.WriteOptions(FileMode.CreateNew)))
        {
            JsonSerializer.Serialize(stream, this, LedgerJsonContext.Default.HeadAnchor);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the anchor; null when there is none yet. Throws <see cref="InvalidDataException"/> when unreadable.</summary>
    public static HeadAnchor? Read(string keyDirectory, string workspaceId) => ReadFrom(PathFor(keyDirectory, workspaceId));

    /// <summary>Reads an anchor (or a witness) file; null when there is none. Throws <see cref="InvalidDataException"/> when unreadable.</summary>
    public static HeadAnchor? ReadFrom(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), LedgerJsonContext.Default.HeadAnchor)
                ?? throw new InvalidDataException($"The head record '{path}' is empty.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The head record '{path}' is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>True when the signature is the workspace key's signature over <see cref="SignedText"/>.</summary>
    public bool IsSignedBy(string publicKeyHex)
    {
        try
        {
            return WorkspaceKey.Verify(publicKeyHex, Encoding.UTF8.GetBytes(SignedText), Convert.FromHexString(Signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
