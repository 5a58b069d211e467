// The byte encoding of a ledger entry that its hash is computed over (format version 1).
using System.Buffers;
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
        var buffer = new byte[EncodedLength(kind, actor, payload)];
        EncodeInto(buffer, seq, kind, parent, timeUnixMilliseconds, actor, payload);
        return buffer;
    }

    /// <summary>BLAKE3 over the canonical encoding: the entry hash.</summary>
    public static ContentHash Hash(long seq, string kind, ContentHash parent, long timeUnixMilliseconds, string actor, ReadOnlySpan<byte> payload)
    {
        // Verify hashes every entry of a long ledger: encode into a pooled buffer instead of a new array each time.
        var length = EncodedLength(kind, actor, payload);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            EncodeInto(rented.AsSpan(0, length), seq, kind, parent, timeUnixMilliseconds, actor, payload);
            return ContentHash.Of(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The length of an entry's canonical encoding: what <see cref="LedgerFormat.MaxEntryBytes"/> bounds.</summary>
    public static int EncodedLength(string kind, string actor, ReadOnlySpan<byte> payload) =>
        4 + 1 + 8 + 4 + Encoding.UTF8.GetByteCount(kind) + ContentHash.Size + 8 + 4 + Encoding.UTF8.GetByteCount(actor) + 4 + payload.Length;

    private static void EncodeInto(Span<byte> span, long seq, string kind, ContentHash parent, long timeUnixMilliseconds, string actor, ReadOnlySpan<byte> payload)
    {
        Magic.CopyTo(span);
        span = span[4..];
        span[0] = EncodingVersion;
        span = span[1..];
        BinaryPrimitives.WriteUInt64BigEndian(span, checked((ulong)seq));
        span = span[8..];
        span = WriteLengthPrefixed(span, kind);
        parent.Bytes.CopyTo(span);
        span = span[ContentHash.Size..];
        BinaryPrimitives.WriteInt64BigEndian(span, timeUnixMilliseconds);
        span = span[8..];
        span = WriteLengthPrefixed(span, actor);
        span = WriteLengthPrefixed(span, payload);
        if (!span.IsEmpty)
        {
            throw new InvalidOperationException("Canonical entry encoding computed a wrong length.");
        }
    }

    private static Span<byte> WriteLengthPrefixed(Span<byte> span, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)written));
        return span[(4 + written)..];
    }

    private static Span<byte> WriteLengthPrefixed(Span<byte> span, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)value.Length));
        value.CopyTo(span[4..]);
        return span[(4 + value.Length)..];
    }
}
