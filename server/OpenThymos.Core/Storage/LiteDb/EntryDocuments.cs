// The BSON form of a single-document ledger entry (the tail of layout 2, every entry of layout 1).
using LiteDB;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Maps a <see cref="LedgerEntry"/> to and from its single document in the collection <c>entries</c>: <c>_id</c> = seq,
/// then kind, parent, time, actor, payload and hash as BSON fields (docs/ledger-format.md, "Storage in LiteDB").
/// </summary>
internal static class EntryDocuments
{
    /// <summary>The document stored for <paramref name="entry"/>.</summary>
    public static BsonDocument ToDocument(LedgerEntry entry) => new()
    {
        ["_id"] = entry.Seq,
        ["kind"] = entry.Kind,
        ["parent"] = entry.Parent.Bytes.ToArray(),
        ["time"] = entry.TimeUnixMilliseconds,
        ["actor"] = entry.Actor,
        ["payload"] = entry.Payload,
        ["hash"] = entry.Hash.Bytes.ToArray(),
    };

    /// <summary>The entry a document holds; <paramref name="location"/> names the ledger in messages.</summary>
    /// <exception cref="InvalidDataException">The document is missing or a field is missing or malformed.</exception>
    public static LedgerEntry ToEntry(BsonDocument? document, string location)
    {
        if (document is null)
        {
            throw new InvalidDataException($"A ledger entry in '{location}' disappeared while it was read.");
        }

        try
        {
            return new LedgerEntry(
                document["_id"].AsInt64,
                document["kind"].AsString ?? throw new InvalidDataException("kind is missing"),
                ContentHash.FromBytes(document["parent"].AsBinary ?? throw new InvalidDataException("parent is missing")),
                document["time"].AsInt64,
                document["actor"].AsString ?? throw new InvalidDataException("actor is missing"),
                document["payload"].AsBinary ?? throw new InvalidDataException("payload is missing"),
                ContentHash.FromBytes(document["hash"].AsBinary ?? throw new InvalidDataException("hash is missing")));
        }
        catch (Exception exception) when (exception is not InvalidDataException)
        {
            throw new InvalidDataException($"Ledger entry {document["_id"]} in '{location}' is malformed: {exception.Message}", exception);
        }
    }
}
