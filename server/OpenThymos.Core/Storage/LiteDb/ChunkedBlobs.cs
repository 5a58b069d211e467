// Blobs in LiteDB: a header document per blob and its content in chunks below LiteDB's document limit.
using LiteDB;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Content-addressed blobs in the collections <c>blobs</c> (<c>_id</c> = hash, size, chunk count) and <c>blob_chunks</c>
/// (<c>_id</c> = hash:index, data), split into <see cref="ChunkSize"/> chunks because a LiteDB document is limited to 16 MB.
/// Not thread-safe: called under the store's gate, writes inside its transaction.
/// </summary>
internal static class ChunkedBlobs
{
    /// <summary>Blobs are split into chunks of this size because a LiteDB document is limited to 16 MB.</summary>
    public const int ChunkSize = 1 << 20;

    private const string BlobsCollection = "blobs";
    private const string BlobChunksCollection = "blob_chunks";

    /// <summary>True when a blob with this hash is stored.</summary>
    public static bool Contains(LiteDatabase database, ContentHash hash) =>
        database.GetCollection(BlobsCollection).FindById(hash.ToString()) is not null;

    /// <summary>The hashes of every stored blob, an id that is not a hash read as <see cref="ContentHash.Zero"/>.</summary>
    public static List<ContentHash> List(LiteDatabase database) =>
        database.GetCollection(BlobsCollection).Query().Select("_id").ToEnumerable()
            .Select(document => ContentHash.TryParse(document["_id"].AsString, out var hash) ? hash : ContentHash.Zero)
            .ToList();

    /// <summary>Writes a blob not yet stored (inside the caller's transaction).</summary>
    public static void Write(LiteDatabase database, BlobWrite blob)
    {
        var headers = database.GetCollection(BlobsCollection);
        var id = blob.Hash.ToString();
        if (headers.FindById(id) is not null)
        {
            return;
        }

        var chunks = database.GetCollection(BlobChunksCollection);
        var content = blob.Content;
        var chunkCount = 0;
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            var length = Math.Min(ChunkSize, content.Length - offset);
            chunks.Insert(new BsonDocument
            {
                ["_id"] = ChunkId(blob.Hash, chunkCount),
                ["data"] = content.Slice(offset, length).ToArray(),
            });
            chunkCount++;
        }

        headers.Insert(new BsonDocument
        {
            ["_id"] = id,
            ["size"] = (long)content.Length,
            ["chunks"] = chunkCount,
        });
    }

    /// <summary>Reads a blob's chunks back into one array, or null when it is not stored; <paramref name="location"/> names the ledger in messages.</summary>
    /// <exception cref="InvalidDataException">The header or the chunks do not add up.</exception>
    public static byte[]? Read(LiteDatabase database, ContentHash hash, string location)
    {
        var header = database.GetCollection(BlobsCollection).FindById(hash.ToString());
        if (header is null)
        {
            return null;
        }

        var size = header["size"].AsInt64;
        var chunkCount = header["chunks"].AsInt32;
        if (size < 0 || size > (long)chunkCount * ChunkSize)
        {
            // Checked before allocating: a damaged size must not ask for gigabytes.
            throw new InvalidDataException($"Blob {hash} in '{location}' records {size} bytes in {chunkCount} chunks, which cannot be.");
        }

        var content = new byte[size];
        var chunks = database.GetCollection(BlobChunksCollection);
        long offset = 0;
        for (var index = 0; index < chunkCount; index++)
        {
            var chunk = chunks.FindById(ChunkId(hash, index))
                ?? throw new InvalidDataException($"Blob {hash} in '{location}' is missing chunk {index} of {chunkCount}.");
            var data = chunk["data"].AsBinary ?? throw new InvalidDataException($"Blob {hash} in '{location}' has chunk {index} without data.");
            if (offset + data.Length > size)
            {
                throw new InvalidDataException($"Blob {hash} in '{location}' has more bytes than its recorded size {size}.");
            }

            data.CopyTo(content, offset);
            offset += data.Length;
        }

        if (offset != size)
        {
            throw new InvalidDataException($"Blob {hash} in '{location}' has {offset} bytes but records {size}.");
        }

        return content;
    }

    private static string ChunkId(ContentHash hash, int index) => $"{hash}:{index:D6}";
}
