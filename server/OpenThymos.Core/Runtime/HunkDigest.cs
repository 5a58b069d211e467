// The content digest of one hunk: what an approval names to say which hunk content the reviewer saw.
using System.Buffers.Binary;
using System.Text;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// BLAKE3 over a canonical byte encoding of a hunk and the file it belongs to (docs/protocol.md, Hunk digests):
/// <code>
/// "OTHD" | 0x01 | str path | str effect | str fromPath | str wholeFileBase | str wholeFileResult
///        | baseStart u32be | count u32be + str each removed line | count u32be + str each added line
/// </code>
/// where <c>str</c> is a u32be byte length followed by UTF-8 bytes and absent values are the empty string. Lines carry
/// their exact terminators. The base and result hashes are included only for whole-file hunks (binary, delete,
/// rename), whose lines are empty: there the hashes are the content. For a text hunk they are left out, so a hunk's
/// digest does not change when another hunk of the same file does. Two revisions with the same hunk at the same place
/// have the same digest; the revision number tells them apart.
/// </summary>
public static class HunkDigest
{
    /// <summary>The four magic bytes that open the encoding.</summary>
    public static ReadOnlySpan<byte> Magic => "OTHD"u8;

    /// <summary>The encoding version byte written after the magic.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>How many leading hex digits of a digest are shown to people (<c>thymos show</c>).</summary>
    public const int ShortLength = 12;

    /// <summary>The digest of <paramref name="hunk"/> of <paramref name="file"/>, as 64 lowercase hex digits.</summary>
    public static string Of(ProposalFileRecord file, HunkRecord hunk)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(hunk);
        return ContentHash.Of(Encode(file, hunk)).ToString();
    }

    /// <summary>The canonical encoding the digest is computed over.</summary>
    public static byte[] Encode(ProposalFileRecord file, HunkRecord hunk)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(hunk);
        var wholeFile = file.Binary || file.Effect is "delete" or "rename";
        using var stream = new MemoryStream();
        stream.Write(Magic);
        stream.WriteByte(EncodingVersion);
        WriteString(stream, file.Path);
        WriteString(stream, file.Effect);
        WriteString(stream, file.FromPath);
        WriteString(stream, wholeFile ? file.BaseHash : null);
        WriteString(stream, wholeFile ? file.ResultHash : null);
        WriteUInt32(stream, checked((uint)hunk.BaseStart));
        WriteLines(stream, hunk.Removed);
        WriteLines(stream, hunk.Added);
        return stream.ToArray();
    }

    /// <summary>The short form shown to people: the first <see cref="ShortLength"/> hex digits.</summary>
    public static string Short(string digest) => digest.Length <= ShortLength ? digest : digest[..ShortLength];

    private static void WriteLines(MemoryStream stream, IReadOnlyList<string> lines)
    {
        WriteUInt32(stream, checked((uint)lines.Count));
        foreach (var line in lines)
        {
            WriteString(stream, line);
        }
    }

    private static void WriteString(MemoryStream stream, string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? "");
        WriteUInt32(stream, checked((uint)bytes.Length));
        stream.Write(bytes);
    }

    private static void WriteUInt32(MemoryStream stream, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        stream.Write(buffer);
    }
}
