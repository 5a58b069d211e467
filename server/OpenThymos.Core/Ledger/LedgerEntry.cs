// One immutable record of the hash-chained ledger, exactly as it is hashed and stored.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// A ledger entry: <c>{seq, kind, parent, time, actor, payload}</c> plus the BLAKE3 hash of the
/// canonical encoding of all six fields (see <see cref="CanonicalEntryEncoding"/>).
/// </summary>
/// <param name="Seq">Position in the chain; the genesis entry has seq 1 and seq is contiguous.</param>
/// <param name="Kind">The entry kind, one of <see cref="EntryKind"/>.</param>
/// <param name="Parent">The hash of the previous entry; <see cref="ContentHash.Zero"/> for genesis.</param>
/// <param name="TimeUnixMilliseconds">When the entry was appended, in Unix milliseconds (UTC).</param>
/// <param name="Actor">Who caused the entry: <c>human:NAME</c>, <c>agent:NAME</c>, <c>policy:RULE</c> or <c>runtime</c>.</param>
/// <param name="Payload">The canonical JSON payload bytes (see <see cref="CanonicalJson"/>).</param>
/// <param name="Hash">The entry hash as stored; verification recomputes and compares it.</param>
public sealed record LedgerEntry(
    long Seq,
    string Kind,
    ContentHash Parent,
    long TimeUnixMilliseconds,
    string Actor,
    byte[] Payload,
    ContentHash Hash)
{
    /// <summary>The append time as a UTC timestamp.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeUnixMilliseconds);

    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);

    /// <summary>Recomputes the hash from the fields, ignoring the stored <see cref="Hash"/>.</summary>
    public ContentHash ComputeHash() =>
        CanonicalEntryEncoding.Hash(Seq, Kind, Parent, TimeUnixMilliseconds, Actor, Payload);

    /// <summary>Creates an entry whose <see cref="Hash"/> is computed from its fields.</summary>
    public static LedgerEntry Create(long seq, string kind, ContentHash parent, long timeUnixMilliseconds, string actor, byte[] payload) =>
        new(seq, kind, parent, timeUnixMilliseconds, actor, payload,
            CanonicalEntryEncoding.Hash(seq, kind, parent, timeUnixMilliseconds, actor, payload));
}
