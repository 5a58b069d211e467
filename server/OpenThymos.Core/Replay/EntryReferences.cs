// Which blobs an entry refers to, from its kind's descriptor; used by verification and replay.
using OpenThymos.Core.Entries;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Replay;

/// <summary>Lists the content hashes an entry's payload names, so that their blobs can be checked.</summary>
public static class EntryReferences
{
    /// <summary>The blob hashes referenced by an entry (deserializes the payload; throws on a malformed one).</summary>
    public static IEnumerable<ContentHash> BlobsOf(LedgerEntry entry)
    {
        // Only kinds with blob fields are deserialized: a payload without any is not this method's business.
        if (EntryKindRegistry.Find(entry.Kind) is not { ReferencesBlobs: true } descriptor)
        {
            yield break;
        }

        foreach (var text in descriptor.BlobHashes(descriptor.Deserialize(entry)))
        {
            if (text is not null)
            {
                yield return ContentHash.Parse(text);
            }
        }
    }

    /// <summary>Checks that the payload deserializes as its kind's type; returns an error message or null.</summary>
    public static string? ShapeError(LedgerEntry entry) => Inspect(entry, out _);

    /// <summary>
    /// Checks the payload's shape and lists the blobs it references with one deserialization (verify
    /// needs both for every entry); returns an error message, or null with <paramref name="blobs"/> set.
    /// </summary>
    public static string? Inspect(LedgerEntry entry, out IReadOnlyList<ContentHash> blobs)
    {
        // The scan answers for the busiest kinds when the payload is certainly well-formed; every
        // other case (and every error message) comes from the typed deserialization below.
        if (PayloadScan.TryScan(entry.Kind, entry.Payload, wantChanges: false, out blobs, out _))
        {
            return null;
        }

        return InspectTyped(entry, out blobs);
    }

    /// <summary>
    /// <see cref="Inspect"/> by typed deserialization alone: the reference the scan is held to
    /// (<c>PayloadScanEquivalenceTests</c>).
    /// </summary>
    internal static string? InspectTyped(LedgerEntry entry, out IReadOnlyList<ContentHash> blobs)
    {
        blobs = [];
        try
        {
            if (EntryKindRegistry.Find(entry.Kind) is not { } descriptor)
            {
                return $"kind '{entry.Kind}' has no known payload shape";
            }

            var hashes = descriptor.BlobHashes(descriptor.Deserialize(entry));
            blobs = [.. hashes.Where(text => text is not null).Select(text => ContentHash.Parse(text!))];
            return null;
        }
        catch (Exception exception)
        {
            return exception.Message;
        }
    }
}
