// Files whose disk content differs from what the ledger last knew.
namespace OpenThymos.Core.Replay;

/// <summary>How a file drifted from the ledger's last known state.</summary>
public enum DriftKind
{
    /// <summary>The file exists with content the ledger never recorded.</summary>
    ChangedOutsideLedger,

    /// <summary>The ledger knows the file, but it is gone from disk.</summary>
    Missing,

    /// <summary>The ledger last recorded the file as deleted, but it exists.</summary>
    Unexpected,

    /// <summary>
    /// Where the ledger has a file (or nothing), a symbolic link, folder or special file is there, or a folder on
    /// its way is a link. Drift never reads through it, so the actual hash is null.
    /// </summary>
    NotARegularFile,

    /// <summary>
    /// A commit after the applied-through mark is durable in the ledger but its file is still at a state that commit (or an
    /// earlier one after the mark) started from: the process stopped between the commit and the rename. Nothing changed
    /// outside the ledger; recovery writes the file from the ledger when the sidecar (or any runtime) next opens the workspace.
    /// </summary>
    PendingRedo,
}

/// <summary>One drifted file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Kind">How it drifted.</param>
/// <param name="Expected">The ledger's last known hash (null = absent).</param>
/// <param name="Actual">The hash on disk (null = absent).</param>
/// <param name="LastEntrySeq">The entry that last set the expected state.</param>
public sealed record DriftItem(string Path, DriftKind Kind, string? Expected, string? Actual, long LastEntrySeq);

/// <summary>The drift of a workspace against its ledger at <paramref name="Seq"/>.</summary>
/// <param name="Seq">The ledger head the comparison used.</param>
/// <param name="Items">Drifted files, by path.</param>
public sealed record DriftReport(long Seq, IReadOnlyList<DriftItem> Items)
{
    /// <summary>True when the disk matches the ledger for every tracked file.</summary>
    public bool IsClean => Items.Count == 0;
}
