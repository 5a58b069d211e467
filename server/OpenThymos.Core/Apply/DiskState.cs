// What one workspace path holds on disk, as the applier sees it: nothing, a regular file with its hash, or something it never reads.
namespace OpenThymos.Core.Apply;

/// <summary>
/// The state of a workspace path on disk, resolved beneath the root without following links (see
/// <see cref="AtomicApplier.StateOnDisk"/>): <see cref="Missing"/>, a regular file with its content hash, or
/// <see cref="NotARegularFile"/> (a symbolic link, a folder, a FIFO, socket or device, or a path whose folders are
/// not all real folders). A type of its own, so a hash can never be confused with the kinds that have none:
/// <see cref="Is"/> holds only for the exact before or after state a proposal or commit names, and a path that is
/// not a regular file matches none of them, so it counts as changed outside the ledger.
/// </summary>
public readonly record struct DiskState
{
    private DiskState(DiskStateKind kind, string? hash)
    {
        Kind = kind;
        Hash = hash;
    }

    /// <summary>Nothing is at the path.</summary>
    public static DiskState Missing { get; } = new(DiskStateKind.Missing, null);

    /// <summary>A link, a folder or a special file is at the path (or on its way); OpenThymos never reads through it.</summary>
    public static DiskState NotARegularFile { get; } = new(DiskStateKind.NotARegularFile, null);

    /// <summary>A regular file larger than <see cref="FileSystem.WorkspaceDirectory.MaxFileBytes"/>: not hashed, and equal to no recorded state (nothing that large is recorded).</summary>
    public static DiskState TooLarge { get; } = new(DiskStateKind.TooLarge, null);

    /// <summary>What kind of state this is.</summary>
    public DiskStateKind Kind { get; }

    /// <summary>The content hash when <see cref="Kind"/> is <see cref="DiskStateKind.RegularFile"/>; otherwise null.</summary>
    public string? Hash { get; }

    /// <summary>True when nothing is at the path.</summary>
    public bool IsMissing => Kind == DiskStateKind.Missing;

    /// <summary>True when a link, folder or special file is at the path.</summary>
    public bool IsNotARegularFile => Kind == DiskStateKind.NotARegularFile;

    /// <summary>True when a regular file too large to hash is at the path.</summary>
    public bool IsTooLarge => Kind == DiskStateKind.TooLarge;

    /// <summary>A regular file with this content hash.</summary>
    public static DiskState RegularFile(string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        return new(DiskStateKind.RegularFile, hash);
    }

    /// <summary>
    /// True when the disk holds exactly the ledger state <paramref name="expected"/>: a regular file with that hash,
    /// or nothing when it is null (a file that does not exist before a create or after a delete).
    /// </summary>
    public bool Is(string? expected) => expected is null ? IsMissing : Kind == DiskStateKind.RegularFile && Hash == expected;

    /// <summary>For messages and logs only; never a hash.</summary>
    public override string ToString() => Kind switch
    {
        DiskStateKind.RegularFile => Hash!,
        DiskStateKind.Missing => "absent",
        DiskStateKind.TooLarge => "a file over the size limit",
        _ => "not a regular file",
    };
}

/// <summary>The kinds of <see cref="DiskState"/>.</summary>
public enum DiskStateKind
{
    /// <summary>Nothing is at the path.</summary>
    Missing,

    /// <summary>A regular file, with a content hash.</summary>
    RegularFile,

    /// <summary>A symbolic link, folder or special file, or a path through one: never read.</summary>
    NotARegularFile,

    /// <summary>A regular file larger than OpenThymos reads: never hashed or read.</summary>
    TooLarge,
}
