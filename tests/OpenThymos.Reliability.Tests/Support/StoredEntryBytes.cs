// Where an entry's bytes sit in the image of a LiteDB ledger file, for flipping bits inside exactly that entry.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>
/// The bytes one entry occupies in a ledger file: a sealed entry as its <c>otle-1</c> encoding followed by its
/// stored hash inside an entry block's <c>data</c> (docs/ledger-format.md, "Storage in LiteDB"), a tail entry as its
/// whole BSON document (length, <c>_id</c>, every field, the terminator). Found by searching the file for exactly
/// those bytes, so nothing here depends on LiteDB's page layout beyond "a small document is stored contiguously".
/// </summary>
internal sealed record StoredEntryBytes(LedgerEntry Entry, bool Sealed, int Offset, int Length)
{
    /// <summary>Why an entry could not be located: its bytes are split across pages, or the same bytes occur more than once (a stale copy in free space).</summary>
    public sealed record NotLocatable(LedgerEntry Entry, bool Sealed, string Why);

    /// <summary>Locates every entry in <paramref name="image"/>; entries up to <paramref name="sealedThrough"/> are looked for in their sealed form, the rest as documents.</summary>
    public static (List<StoredEntryBytes> Located, List<NotLocatable> NotLocated) Locate(byte[] image, IReadOnlyList<LedgerEntry> entries, long sealedThrough)
    {
        var located = new List<StoredEntryBytes>();
        var notLocated = new List<NotLocatable>();
        foreach (var entry in entries)
        {
            var isSealed = entry.Seq <= sealedThrough;
            var form = FormOf(entry, isSealed);
            var offsets = OccurrencesOf(image, form);
            if (offsets.Count == 1)
            {
                located.Add(new StoredEntryBytes(entry, isSealed, offsets[0], form.Length));
            }
            else
            {
                notLocated.Add(new NotLocatable(entry, isSealed, offsets.Count == 0 ? "not contiguous (split across pages)" : $"found {offsets.Count} times"));
            }
        }

        return (located, notLocated);
    }

    /// <summary>The exact bytes the store writes for an entry: a one-entry block packing, or the single document's BSON.</summary>
    public static byte[] FormOf(LedgerEntry entry, bool isSealed) => LiteDbLedgerStore.StoredBytesOf(entry, isSealed);

    private static List<int> OccurrencesOf(byte[] image, byte[] form)
    {
        var offsets = new List<int>();
        var from = 0;
        while (from <= image.Length - form.Length)
        {
            var at = image.AsSpan(from).IndexOf(form);
            if (at < 0)
            {
                break;
            }

            offsets.Add(from + at);
            from += at + 1;
        }

        return offsets;
    }
}
