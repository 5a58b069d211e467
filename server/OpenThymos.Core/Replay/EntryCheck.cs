// The checks of one entry that depend on nothing but the entry, so verify can run them on every core.
using System.Runtime.ExceptionServices;
using OpenThymos.Core.Entries;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Replay;

/// <summary>
/// What verify computes from one entry alone: the recomputed hash, whether the kind is known,
/// whether the payload is canonical JSON, and the payload's shape error or the blobs it names.
/// The checks that link entries (seq, parent, genesis, signatures, blobs) stay in seq order.
/// </summary>
internal sealed class EntryCheck
{
    private EntryCheck()
    {
    }

    /// <summary>BLAKE3 over the entry's <c>otle-1</c> encoding.</summary>
    public ContentHash ComputedHash { get; private init; }

    /// <summary>False when computing the hash threw (<see cref="Failure"/> holds why).</summary>
    public bool HashComputed { get; private init; }

    /// <summary>True when the kind is one of <see cref="EntryKindRegistry"/>.</summary>
    public bool KnownKind { get; private init; }

    /// <summary>True when the payload is canonical JSON (only computed for a known kind).</summary>
    public bool Canonical { get; private init; }

    /// <summary>Why the payload does not have its kind's shape, or null (only computed for a canonical payload).</summary>
    public string? ShapeError { get; private init; }

    /// <summary>The blobs the payload names (empty unless the shape is right).</summary>
    public IReadOnlyList<ContentHash> Blobs { get; private init; } = [];

    /// <summary>An unexpected exception from a check, rethrown where a single sequential pass would have met it (at the hash, or after the kind check).</summary>
    public ExceptionDispatchInfo? Failure { get; private init; }

    /// <summary>Runs the checks; never throws (an unexpected exception is kept in <see cref="Failure"/>).</summary>
    public static EntryCheck Of(LedgerEntry entry)
    {
        ContentHash hash;
        try
        {
            hash = entry.ComputeHash();
        }
        catch (Exception exception)
        {
            return new EntryCheck { Failure = ExceptionDispatchInfo.Capture(exception) };
        }

        try
        {
            if (EntryKindRegistry.Find(entry.Kind) is null)
            {
                return new EntryCheck { ComputedHash = hash, HashComputed = true };
            }

            if (!CanonicalJson.IsCanonical(entry.Payload))
            {
                return new EntryCheck { ComputedHash = hash, HashComputed = true, KnownKind = true };
            }

            var shapeError = EntryReferences.Inspect(entry, out var blobs);
            return new EntryCheck { ComputedHash = hash, HashComputed = true, KnownKind = true, Canonical = true, ShapeError = shapeError, Blobs = blobs };
        }
        catch (Exception exception)
        {
            return new EntryCheck { ComputedHash = hash, HashComputed = true, KnownKind = true, Failure = ExceptionDispatchInfo.Capture(exception) };
        }
    }
}
