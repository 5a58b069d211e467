// A BLAKE3-256 digest used for file contents, blobs, entry hashes and policy hashes.
using System.Security.Cryptography;

namespace OpenThymos.Core.Hashing;

/// <summary>
/// A 32-byte BLAKE3 digest. Its text form is 64 lowercase hexadecimal characters, which is
/// how it appears in payloads, blob ids and user-facing messages.
/// </summary>
public readonly struct ContentHash : IEquatable<ContentHash>
{
    /// <summary>The number of bytes in a digest.</summary>
    public const int Size = 32;

    private readonly byte[]? _bytes;

    private ContentHash(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero digest, used as the parent of the genesis entry.</summary>
    public static ContentHash Zero { get; } = new(new byte[Size]);

    /// <summary>The digest bytes (32 of them).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? Zero._bytes!;

    /// <summary>Hashes a byte span with BLAKE3.</summary>
    public static ContentHash Of(ReadOnlySpan<byte> data)
    {
        var output = new byte[Size];
        Blake3.Hasher.Hash(data, output);
        return new ContentHash(output);
    }

    /// <summary>Hashes a stream from its current position to its end, without loading it whole.</summary>
    public static ContentHash Of(Stream stream)
    {
        using var hasher = Blake3.Hasher.New();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hasher.Update(buffer.AsSpan(0, read));
        }

        var output = new byte[Size];
        hasher.Finalize(output);
        return new ContentHash(output);
    }

    /// <summary>Wraps 32 existing digest bytes.</summary>
    public static ContentHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A content hash has {Size} bytes, but {bytes.Length} were given.", nameof(bytes));
        }

        return new ContentHash(bytes.ToArray());
    }

    /// <summary>Parses the 64-character lowercase or uppercase hexadecimal form.</summary>
    public static ContentHash Parse(string hex)
    {
        if (!TryParse(hex, out var hash))
        {
            throw new FormatException($"'{hex}' is not a content hash: expected 64 hexadecimal characters.");
        }

        return hash;
    }

    /// <summary>Parses the hexadecimal form, returning false for anything that is not exactly 64 hex digits.</summary>
    public static bool TryParse(string? hex, out ContentHash hash)
    {
        hash = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        try
        {
            hash = new ContentHash(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The 64-character lowercase hexadecimal form.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>The first 12 hex characters, for short display.</summary>
    public string ToShortString() => ToString()[..12];

    /// <inheritdoc />
    public bool Equals(ContentHash other) => CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ContentHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <summary>Equality of digests.</summary>
    public static bool operator ==(ContentHash left, ContentHash right) => left.Equals(right);

    /// <summary>Inequality of digests.</summary>
    public static bool operator !=(ContentHash left, ContentHash right) => !left.Equals(right);
}
