// Sealed entry blocks in LiteDB: one document per block of EntryBlock.Size entries, found by its first seq.
using LiteDB;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Reads and writes the documents that hold sealed <see cref="EntryBlock"/>s: <c>_id</c> = first seq, <c>count</c>,
/// <c>data</c> = the packing. They live in the collection named <c>segments</c> on disk, the name storage layout 2 was
/// written with (kept so existing ledgers open; it names the same blocks). Blocks are a contiguous prefix from seq 1,
/// each full. Every read checks that each entry is where its seq says and throws <see cref="InvalidDataException"/>
/// otherwise. Not thread-safe: called under the store's gate.
/// </summary>
internal static class EntryBlockDocuments
{
    /// <summary>The on-disk collection of blocks (historical name, part of the file format).</summary>
    public const string Collection = "segments";

    /// <summary>The collection of blocks.</summary>
    public static ILiteCollection<BsonDocument> Of(LiteDatabase database) => database.GetCollection(Collection);

    /// <summary>The last seq held by a block (0 when none).</summary>
    public static long SealedThrough(LiteDatabase database)
    {
        var top = Of(database).Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return top is null ? 0 : top["_id"].AsInt64 + EntryBlock.Size - 1;
    }

    /// <summary>The first seq of the first block above <paramref name="seq"/>, or null when there is none.</summary>
    public static long? NextStartAfter(LiteDatabase database, long seq)
    {
        var next = Of(database).Query().Where(Query.GT("_id", seq)).OrderBy("_id").Select("_id").Limit(1).FirstOrDefault();
        return next?["_id"].AsInt64;
    }

    /// <summary>The entry <paramref name="seq"/> from its block, or null when no block holds it.</summary>
    public static LedgerEntry? ReadOne(LiteDatabase database, long seq, string location)
    {
        var start = EntryBlock.StartOf(seq);
        var block = Of(database).FindById(start);
        if (block is null)
        {
            return null;
        }

        var index = (int)(seq - start);
        if (index >= block["count"].AsInt32)
        {
            return null;
        }

        try
        {
            return EntryBlock.UnpackAt(block["data"].AsBinary ?? throw new InvalidDataException("data is missing"), index);
        }
        catch (Exception exception)
        {
            throw new InvalidDataException($"The entry block starting at entry {start} in '{location}' is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>Every entry of the block that starts at <paramref name="start"/>, or null when there is no such block.</summary>
    public static List<LedgerEntry>? ReadAll(LiteDatabase database, long start, string location)
    {
        var block = Of(database).FindById(start);
        if (block is null)
        {
            return null;
        }

        try
        {
            if (!block["_id"].IsInt64 || block["_id"].AsInt64 != start)
            {
                // The index files it under start, the document says otherwise: one of the two was changed.
                throw new InvalidDataException($"it says it starts at entry {block["_id"]}");
            }

            var entries = EntryBlock.Unpack(block["data"].AsBinary ?? throw new InvalidDataException("data is missing"), block["count"].AsInt32);
            for (var index = 0; index < entries.Count; index++)
            {
                // A block's n-th entry is entry start + n; an entry that says otherwise had its seq changed.
                if (entries[index].Seq != start + index)
                {
                    throw new InvalidDataException($"in the place of entry {start + index} it holds an entry that says it is entry {entries[index].Seq}");
                }
            }

            return entries;
        }
        catch (Exception exception)
        {
            throw new InvalidDataException($"The entry block starting at entry {start} in '{location}' is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>Writes one sealed block (inside the caller's transaction): the only way blocks are written.</summary>
    public static void Insert(LiteDatabase database, long start, byte[] data) =>
        Of(database).Insert(new BsonDocument
        {
            ["_id"] = start,
            ["count"] = EntryBlock.Size,
            ["data"] = data,
        });
}
