// The screen run before a ledger file is opened read-only: a LiteDB page out of its place is refused, not read.
using System.Buffers.Binary;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Refuses a data file with a page out of place. LiteDB 5 keeps page n at byte n × 8 KiB and trusts the id in
/// the page's header: a collection page whose header names another page (one flipped bit is enough) leaves its
/// page cache inconsistent, and the transaction LiteDB then abandons throws from its finalizer, which ends the
/// whole process, not only this read.
/// </summary>
internal static class LiteDbPageScreen
{
    private const int PageSize = 8192;
    private const int HeaderSize = 32;

    /// <summary>
    /// Reads every page header of the data file at <paramref name="path"/>. Checked only when the log is empty (a cleanly
    /// closed ledger): pages in a non-empty log supersede their places in the data file, which a crash in a checkpoint may
    /// have left half written. An all-zero header (space the file grew by but nothing used) is not a page and is let through.
    /// </summary>
    /// <exception cref="InvalidDataException">A page's header names another page.</exception>
    public static void RefusePagesOutOfPlace(string path)
    {
        var log = new FileInfo(DurableLiteDatabase.LogPathOf(path));
        if (log.Exists && log.Length > 0)
        {
            return;
        }

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var pages = RandomAccess.GetLength(file) / PageSize;
        Span<byte> header = stackalloc byte[HeaderSize];
        for (long page = 0; page < pages; page++)
        {
            if (RandomAccess.Read(file, header, page * PageSize) < HeaderSize)
            {
                return;
            }

            var named = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (named != page && header.ContainsAnyExcept((byte)0))
            {
                throw new InvalidDataException(
                    $"The ledger file '{path}' is damaged: page {page} (bytes {page * PageSize} to {((page + 1) * PageSize) - 1}) says it is page {named}, and LiteDB cannot read such a file safely. Restore the ledger from a backup.");
            }
        }
    }
}
