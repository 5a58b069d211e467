// The world as a fold: commits, reverts and observed external changes applied entry by entry, in seq order.
using System.Runtime.ExceptionServices;
using OpenThymos.Core.Entries;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Replay;

/// <summary>
/// Accumulates a <see cref="World"/>. Decoding an entry (<see cref="Decode"/>) depends on the entry
/// alone, so callers decode a batch on every core and then <see cref="Apply"/> it in seq order; replay
/// and the one-pass verify-and-replay share this, so both give the same world for the same entries.
/// </summary>
internal sealed class WorldFold
{
    private readonly SortedDictionary<string, string?> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string?> _lastKnown = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _touched = new(StringComparer.Ordinal);

    /// <summary>The last entry applied or skipped (0 before any).</summary>
    public long Seq { get; private set; }

    /// <summary>True once an entry was skipped because its payload could not be decoded: the world is then not the ledger's.</summary>
    public bool Incomplete { get; private set; }

    /// <summary>What an entry changes in the world: a commit's or revert's file changes, an observed external change, or neither; or why its payload could not be read.</summary>
    public static (IReadOnlyList<FileChangeRecord>? Changes, ExternalChangeObservedPayload? Observed, ExceptionDispatchInfo? Failure) Decode(LedgerEntry entry)
    {
        try
        {
            return (WorldReplayer.FileChangesOf(entry),
                EntryKindRegistry.Find(entry.Kind) is { World: WorldEffect.ObservedChange } observed ? (ExternalChangeObservedPayload)observed.Deserialize(entry) : null,
                null);
        }
        catch (Exception exception)
        {
            return (null, null, ExceptionDispatchInfo.Capture(exception));
        }
    }

    /// <summary>Applies one decoded entry; entries must come in seq order.</summary>
    public void Apply(LedgerEntry entry, IReadOnlyList<FileChangeRecord>? changes, ExternalChangeObservedPayload? observed)
    {
        Seq = entry.Seq;
        if (changes is not null)
        {
            foreach (var change in changes)
            {
                _files[change.Path] = change.After;
                _lastKnown[change.Path] = change.After;
                _touched[change.Path] = entry.Seq;
            }
        }
        else if (observed is not null)
        {
            _lastKnown[observed.Path] = observed.Observed;
            _touched[observed.Path] = entry.Seq;
        }
    }

    /// <summary>Passes over an entry whose payload could not be decoded, marking the fold <see cref="Incomplete"/>.</summary>
    public void Skip(LedgerEntry entry)
    {
        Seq = entry.Seq;
        Incomplete = true;
    }

    /// <summary>The world so far.</summary>
    public World ToWorld() => new(Seq, _files, _lastKnown, _touched);
}
