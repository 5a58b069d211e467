// The file states folded out of a ledger's commits up to some seq.
namespace OpenThymos.Core.Replay;

/// <summary>
/// The world at a point of the ledger: for every path a commit or revert touched, its content hash
/// (null when the commits left it deleted), plus the last state the ledger knew of, which also counts
/// external changes it observed.
/// </summary>
/// <param name="Seq">The last entry folded.</param>
/// <param name="Files">Path → content hash (null = deleted), from commits and reverts only.</param>
/// <param name="LastKnown">Path → content hash as last seen (commits, reverts and observed external changes).</param>
/// <param name="LastTouchedBy">Path → the seq of the entry that last set it.</param>
public sealed record World(
    long Seq,
    IReadOnlyDictionary<string, string?> Files,
    IReadOnlyDictionary<string, string?> LastKnown,
    IReadOnlyDictionary<string, long> LastTouchedBy);
