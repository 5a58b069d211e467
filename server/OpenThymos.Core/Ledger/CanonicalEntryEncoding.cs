// The byte encoding of a ledger entry that its hash is computed over (format version 1).
using System.Buffers.Binary;
using System.Text;
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Encodes the six fields of an entry into bytes independent of LiteDB, BSON or any serializer,
/// so that another implementation can recompute every hash (docs/ledger-format.md):
/// <code>
/// "OTLE" | 0x01 | seq u64be | len u32be + kind utf8 | parent 32 bytes | time i64be | len u32be + actor utf8 | len u32be + payload
/// </code>
/// </summary>
public static class CanonicalEntryEncoding
{
    /// <summary>The four magic bytes that open every encoded entry.</summary>
    public static ReadOnlySpan<byte> Magic => "OTLE"u8;

    /// <summary>The encoding version byte written after the magic.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>Encodes the fields in canonical form.</summary>
    public static byte[] Encode(long seq, string kind, ContentHash parent, long timeUnixMilliseconds, string actor, ReadOnlySpan<byte> payload)
    {
        var kindBytes = Encoding.UTF8.GetBytes(kind);
        var actorBytes = Encoding.UTF8.GetBytes(actor);
        var length = 4 + 1 + 8 + 4 + kindBytes.Length + ContentHash.Size + 8 + 4 + actorBytes.Length + 4 + payload.Length;
        var buffer = new byte[length];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        span = span[4..];
        span[0] = EncodingVersion;
        span = span[1..];
        BinaryPrimitives.WriteUInt64BigEndian(span, checked((ulong)seq));
        span = span[8..];
        span = WriteLengthPrefixed(span, kindBytes);
        parent.Bytes.CopyTo(span);
        span = span[ContentHash.Size..];
        BinaryPrimitives.WriteInt64BigEndian(span, timeUnixMilliseconds);
        span = span[8..];
        span = WriteLengthPrefixed(span, actorBytes);
        span = WriteLengthPrefixed(span, payload);
        if (!span.IsEmpty)
        {
            throw new InvalidOperationException("Canonical entry encoding computed a wrong length.");
        }

        return buffer;
    }

    /// <summary>BLAKE3 over the canonical encoding: the entry hash.</summary>
    public static ContentHash Hash(long seq, string kind, ContentHash parent, long timeUnixMilliseconds, string actor, ReadOnlySpan<byte> payload) =>
        ContentHash.Of(Encode(seq, kind, parent, timeUnixMilliseconds, actor, payload));

    private static Span<byte> WriteLengthPrefixed(Span<byte> span, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)value.Length));
        value.CopyTo(span[4..]);
        return span[(4 + value.Length)..];
    }
}
