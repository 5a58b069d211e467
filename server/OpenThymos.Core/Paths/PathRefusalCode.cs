// Stable codes for why a candidate path was refused; they are recorded in the ledger, so never renumber them.
namespace OpenThymos.Core.Paths;

/// <summary>Why <c>PathConfinement</c> refused a candidate path.</summary>
public enum PathRefusalCode
{
    /// <summary>The path is empty.</summary>
    Empty = 1,

    /// <summary>The path is absolute (leading '/' or a drive letter such as <c>C:</c>).</summary>
    Absolute = 2,

    /// <summary>The path contains a '..' segment.</summary>
    ParentSegment = 3,

    /// <summary>The path contains a '.' segment.</summary>
    DotSegment = 4,

    /// <summary>The path contains an empty segment ("a//b" or a trailing '/').</summary>
    EmptySegment = 5,

    /// <summary>The path contains a backslash.</summary>
    Backslash = 6,

    /// <summary>The path contains a NUL character.</summary>
    NulByte = 7,

    /// <summary>The path contains a control character other than NUL.</summary>
    ControlCharacter = 8,

    /// <summary>The path is longer than 4096 bytes of UTF-8.</summary>
    TooLong = 9,

    /// <summary>A segment is longer than 255 bytes of UTF-8.</summary>
    SegmentTooLong = 10,

    /// <summary>A component of the path is a symbolic link.</summary>
    SymbolicLink = 11,

    /// <summary>The path (or a parent component) exists but is not what a file edit needs.</summary>
    NotARegularFile = 12,

    /// <summary>A segment is a name Windows reserves for devices (CON, NUL, COM1, ...).</summary>
    ReservedName = 13,

    /// <summary>A segment spells '.', '..' or a separator in disguise: percent-encoded, overlong, or with Unicode look-alikes.</summary>
    Disguised = 14,

    /// <summary>The path holds an unpaired UTF-16 surrogate or U+FFFD (bytes that were not valid UTF-8), so it is not the name the agent meant.</summary>
    InvalidUnicode = 15,

    /// <summary>The file has more than one hard link, so other names (possibly outside the workspace) share its contents.</summary>
    HardLink = 16,

    /// <summary>The path holds a default-ignorable code point (zero-width, bidirectional control, variation selector, ...): invisible, so the name looks like another.</summary>
    InvisibleCharacter = 17,
}
