// What the LiteDB store's writes cost: counters the bench reads, absent in production.
namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Counts what a <see cref="LiteDbLedgerStore"/> spends on durability (log and data-file fsyncs, log pages and bytes,
/// time in transactions) and the highest seq it made durable. It is handed to the store when it is opened
/// (<see cref="LiteDbLedgerStoreFactory"/>) by the bench and the durability tests; production opens stores without one,
/// so the store itself carries no counters. Thread-safe: the counters are read while the store writes.
/// </summary>
internal sealed class LiteDbStoreMeter
{
    private DurableFileStream? _log;
    private DurableFileStream? _data;
    private long _transactionTicks;
    private long _durableSeq;

    /// <summary>fsync calls made on the LiteDB log file (one per acknowledged append).</summary>
    public long LogFsyncCount => Volatile.Read(ref _log)?.FsyncCount ?? 0;

    /// <summary>Bytes LiteDB wrote to its log file (whole 8 KiB pages), for the write-cost breakdown.</summary>
    public long LogBytesWritten => Volatile.Read(ref _log)?.BytesWritten ?? 0;

    /// <summary>Pages LiteDB wrote to its log file (one write call each).</summary>
    public long LogPagesWritten => Volatile.Read(ref _log)?.WriteCount ?? 0;

    /// <summary>Time spent in fsync of the log file, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long LogFsyncTicks => Volatile.Read(ref _log)?.FsyncTicks ?? 0;

    /// <summary>fsync calls made on the LiteDB data file (at checkpoints).</summary>
    public long DataFsyncCount => Volatile.Read(ref _data)?.FsyncCount ?? 0;

    /// <summary>Time spent in fsync of the data file (checkpoints), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long DataFsyncTicks => Volatile.Read(ref _data)?.FsyncTicks ?? 0;

    /// <summary>Time appends spent in their LiteDB transaction (begin to commit, log pages written, before the fsync), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long TransactionTicks => Interlocked.Read(ref _transactionTicks);

    /// <summary>The highest seq whose transaction has been fsynced (set only after the fsync returned); for durability tests.</summary>
    public long DurableSeq => Interlocked.Read(ref _durableSeq);

    /// <summary>Follows the streams of the store's files (the ones opened last count).</summary>
    internal void Attach(DurableFileStream log, DurableFileStream data)
    {
        Volatile.Write(ref _log, log);
        Volatile.Write(ref _data, data);
    }

    internal void AddTransactionTicks(long ticks) => Interlocked.Add(ref _transactionTicks, ticks);

    internal void MarkDurable(long seq) => Interlocked.Exchange(ref _durableSeq, seq);
}
