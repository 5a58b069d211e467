// An entry block: a sealed run of ledger entries packed into one byte string, otle-1 encodings each followed by its stored hash.
using System.Buffers.Binary;
using System.Text;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// The packing of an entry block (storage layout 2, docs/ledger-format.md, "Storage in LiteDB"): for each entry in seq
/// order, its <c>otle-1</c> encoding (<see cref="CanonicalEntryEncoding"/>, self-delimiting because
/// every variable field is length-prefixed) followed by the 32 bytes of the hash stored for it.
/// A reader that knows <c>otle-1</c> needs nothing else; decoding is strict (exact lengths, valid
/// UTF-8), so an entry decoded from a block encodes back to exactly the bytes it came from.
/// </summary>
public static class EntryBlock
{
    /// <summary>Entries per sealed block; blocks start at seq 1, 257, 513, … so a seq finds its block by arithmetic.</summary>
    public const int Size = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first seq of the block that holds <paramref name="seq"/>.</summary>
    public static long StartOf(long seq) => ((seq - 1) / Size * Size) + 1;

    /// <summary>Packs entries (already in seq order) into one block's bytes; throws when a text field is not valid UTF-16.</summary>
    public static byte[] Pack(IReadOnlyList<LedgerEntry> entries)
    {
        using var buffer = new MemoryStream(entries.Count * 1024);
        foreach (var entry in entries)
        {
            // Strict: a field that would not survive UTF-8 unchanged must not be sealed (it stays a single document).
            StrictUtf8.GetByteCount(entry.Kind);
            StrictUtf8.GetByteCount(entry.Actor);
            buffer.Write(CanonicalEntryEncoding.Encode(entry.Seq, entry.Kind, entry.Parent, entry.TimeUnixMilliseconds, entry.Actor, entry.Payload));
            buffer.Write(entry.Hash.Bytes);
        }

        return buffer.ToArray();
    }

    /// <summary>Unpacks every entry of a block; throws <see cref="InvalidDataException"/> when the bytes are not a valid packing.</summary>
    public static List<LedgerEntry> Unpack(ReadOnlySpan<byte> data, int expectedCount)
    {
        var entries = new List<LedgerEntry>(expectedCount);
        var offset = 0;
        while (offset < data.Length)
        {
            entries.Add(DecodeOne(data, ref offset));
        }

        if (entries.Count != expectedCount)
        {
            throw new InvalidDataException($"the block holds {entries.Count} entries but records {expectedCount}");
        }

        return entries;
    }

    /// <summary>Decodes the entry at <paramref name="index"/> of a block, skipping the ones before it without decoding their fields.</summary>
    public static LedgerEntry UnpackAt(ReadOnlySpan<byte> data, int index)
    {
        var offset = 0;
        for (var skipped = 0; skipped < index; skipped++)
        {
            offset = SkipOne(data, offset);
        }

        return DecodeOne(data, ref offset);
    }

    private static int SkipOne(ReadOnlySpan<byte> data, int offset)
    {
        var position = offset + 4 + 1 + 8;
        position = SkipLengthPrefixed(data, position);
        position += ContentHash.Size + 8;
        position = SkipLengthPrefixed(data, position);
        position = SkipLengthPrefixed(data, position);
        position += ContentHash.Size;
        if (position > data.Length)
        {
            throw new InvalidDataException($"the block is cut off inside the record at byte {offset}");
        }

        return position;
    }

    private static int SkipLengthPrefixed(ReadOnlySpan<byte> data, int position)
    {
        var length = ReadLength(data, position);
        return position + 4 + length;
    }

    private static LedgerEntry DecodeOne(ReadOnlySpan<byte> data, ref int offset)
    {
        var position = offset;
        var magic = Take(data, ref position, 5);
        if (!magic[..4].SequenceEqual(CanonicalEntryEncoding.Magic) || magic[4] != CanonicalEntryEncoding.EncodingVersion)
        {
            throw new InvalidDataException($"the record at byte {offset} does not start with the otle-1 magic");
        }

        var seq = BinaryPrimitives.ReadUInt64BigEndian(Take(data, ref position, 8));
        if (seq > long.MaxValue)
        {
            throw new InvalidDataException($"the record at byte {offset} has seq {seq}, beyond the signed 64-bit range");
        }

        try
        {
            var kind = StrictUtf8.GetString(TakeLengthPrefixed(data, ref position));
            var parent = ContentHash.FromBytes(Take(data, ref position, ContentHash.Size));
            var time = BinaryPrimitives.ReadInt64BigEndian(Take(data, ref position, 8));
            var actor = StrictUtf8.GetString(TakeLengthPrefixed(data, ref position));
            var payload = TakeLengthPrefixed(data, ref position).ToArray();
            var hash = ContentHash.FromBytes(Take(data, ref position, ContentHash.Size));
            offset = position;
            return new LedgerEntry((long)seq, kind, parent, time, actor, payload, hash);
        }
        catch (DecoderFallbackException exception)
        {
            throw new InvalidDataException($"the record of seq {seq} has a text field that is not valid UTF-8: {exception.Message}", exception);
        }
    }

    private static ReadOnlySpan<byte> TakeLengthPrefixed(ReadOnlySpan<byte> data, ref int position)
    {
        var length = ReadLength(data, position);
        position += 4;
        return Take(data, ref position, length);
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int position)
    {
        if (position < 0 || position + 4 > data.Length)
        {
            throw new InvalidDataException($"the block is cut off at byte {position}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(position, 4));
        if (length > (uint)(data.Length - position - 4))
        {
            throw new InvalidDataException($"a length of {length} at byte {position} runs past the end of the block");
        }

        return (int)length;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (position + count > data.Length)
        {
            throw new InvalidDataException($"the block is cut off at byte {position}");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
