// LiteDB opened over fsyncing streams, and the one way a transaction is made durable.
using System.Diagnostics.CodeAnalysis;
using LiteDB;
using LiteDB.Engine;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// A LiteDB database over two <see cref="DurableFileStream"/>s (the data file and its write-ahead log beside it), so
/// that a commit can be forced to stable storage: LiteDB 5.0.21 alone writes its log pages at commit but only fsyncs at
/// checkpoints. Not thread-safe: <see cref="LiteDbLedgerStore"/> calls it under its gate.
/// </summary>
internal sealed class DurableLiteDatabase : IDisposable
{
    private readonly string _path;
    private readonly bool _readOnly;
    private readonly LiteDbStoreMeter? _meter;
    private DurableFileStream _dataStream;
    private Stream _logStream;
    private LiteDatabase _database;

    /// <summary>Opens the data and log files at <paramref name="path"/> and LiteDB over them.</summary>
    public DurableLiteDatabase(string path, bool readOnly, LiteDbStoreMeter? meter)
    {
        _path = path;
        _readOnly = readOnly;
        _meter = meter;
        Open();
    }

    /// <summary>The open database.</summary>
    public LiteDatabase Database => _database;

    /// <summary>The path of LiteDB's write-ahead log beside a data file.</summary>
    public static string LogPathOf(string path) =>
        Path.Combine(
            Path.GetDirectoryName(path) ?? ".",
            Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    /// <summary>Writes a checkpoint and forces the data file to disk (once, when a writer opens the ledger).</summary>
    public void CheckpointToDisk()
    {
        _database.Checkpoint();
        _dataStream.FlushToDisk();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one LiteDB transaction (rolled back if it throws), then forces the log and
    /// the data file to disk: LiteDB's commit only writes the pages, it does not fsync them. <paramref name="afterCommit"/>
    /// runs between the commit and the fsyncs (a test seam). Returns the time inside the transaction (begin to commit,
    /// before the fsyncs) in <see cref="System.Diagnostics.Stopwatch"/> ticks.
    /// </summary>
    /// <exception cref="LedgerTransactionRolledBackException">The write failed before the commit and nothing of it was stored.</exception>
    public long CommitDurably(Action write, Action? afterCommit)
    {
        var transactionStart = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!_database.BeginTrans())
        {
            throw new InvalidOperationException("A ledger transaction is already open on this thread.");
        }

        try
        {
            write();
        }
        catch (Exception exception)
        {
            // Nothing was committed: roll back, and say so, so the ledger can stay writable. If the rollback itself
            // fails the store's state is unknown, and that exception (not a rolled-back one) is what the caller sees.
            _database.Rollback();
            throw new LedgerTransactionRolledBackException($"The ledger '{_path}' rolled back a transaction that failed before its commit: {exception.Message}", exception);
        }

        // A failure from here on (commit, fsync) leaves the store in an unknown state: it is not a rollback.
        _database.Commit();
        afterCommit?.Invoke();

        var transactionTicks = System.Diagnostics.Stopwatch.GetTimestamp() - transactionStart;
        ((DurableFileStream)_logStream).FlushToDisk();
        _dataStream.FlushToDisk();
        return transactionTicks;
    }

    /// <summary>
    /// Closes the database and its files and opens them again: after LiteDB met a page or document it cannot decode, it
    /// closed its engine for good. Errors from closing what already closed itself are ignored.
    /// </summary>
    public void Reopen()
    {
        foreach (var closing in new IDisposable[] { _database, _dataStream, _logStream })
        {
            try
            {
                closing.Dispose();
            }
            catch (Exception)
            {
                // Closing what already closed itself on an error may fail again; it holds nothing to keep.
            }
        }

        Open();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _database.Dispose();
        _dataStream.Dispose();
        _logStream.Dispose();
    }

    [MemberNotNull(nameof(_dataStream), nameof(_logStream), nameof(_database))]
    private void Open()
    {
        _dataStream = new DurableFileStream(_path, _readOnly);
        // A cleanly closed ledger has no log file; a reader then needs an empty one, not a new file on disk.
        _logStream = _readOnly && !File.Exists(LogPathOf(_path)) ? new MemoryStream([], writable: false) : new DurableFileStream(LogPathOf(_path), _readOnly);
        if (_logStream is DurableFileStream log)
        {
            _meter?.Attach(log, _dataStream);
        }

        var engine = new LiteEngine(new EngineSettings
        {
            DataStream = _dataStream,
            LogStream = _logStream,
            ReadOnly = _readOnly,
            AutoRebuild = false,
        });
        _database = new LiteDatabase(engine, disposeOnClose: true);
    }
}
