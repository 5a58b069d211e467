// The text encodings a workspace file can be decoded from and re-encoded to without losing a byte.
namespace OpenThymos.Core.Text;

/// <summary>
/// How a text file's bytes map to characters. The kind includes whether a byte order mark is
/// present, because re-encoding must reproduce the file's bytes exactly.
/// </summary>
public enum TextEncodingKind
{
    /// <summary>UTF-8 without a byte order mark (the default for new files).</summary>
    Utf8,

    /// <summary>UTF-8 starting with the byte order mark EF BB BF.</summary>
    Utf8Bom,

    /// <summary>UTF-16 little-endian starting with the byte order mark FF FE.</summary>
    Utf16LeBom,

    /// <summary>UTF-16 big-endian starting with the byte order mark FE FF.</summary>
    Utf16BeBom,

    /// <summary>
    /// ISO-8859-1, which maps every byte to exactly one character. Used for any text that is not
    /// valid UTF-8 (for example Windows-1252 files), since it always round-trips.
    /// </summary>
    Latin1,
}
