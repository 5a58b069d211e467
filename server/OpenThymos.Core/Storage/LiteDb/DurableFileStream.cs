// A file stream whose Flush reaches stable storage, and which counts how often it did.
namespace OpenThymos.Core.Storage.LiteDb;

/// <summary>
/// Wraps a <see cref="FileStream"/> for LiteDB. LiteDB 5.0.21 writes its log pages during commit
/// but never forces them to disk, so the ledger calls <see cref="FlushToDisk"/> after every commit
/// and before acknowledging it. Every fsync is counted, so tests can show one per acknowledged commit.
/// </summary>
public sealed class DurableFileStream : Stream
{
    private readonly FileStream _inner;
    private readonly bool _readOnly;
    private long _fsyncCount;
    private long _bytesWritten;
    private long _writeCount;
    private long _fsyncTicks;

    // Every write or length change bumps _changes after it is done; an fsync covers the changes counted before
    // it began. A plain "dirty" flag cleared after the fsync would lose a change made during another thread's
    // fsync, and the next FlushToDisk would then skip the fsync that change needs.
    private long _changes;
    private long _changesSynced;

    /// <summary>Opens the file for LiteDB; read-only streams refuse writes.</summary>
    public DurableFileStream(string path, bool readOnly)
    {
        _readOnly = readOnly;
        _inner = new FileStream(
            path,
            readOnly ? FileMode.Open : FileMode.OpenOrCreate,
            readOnly ? FileAccess.Read : FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1);
    }

    /// <summary>How many times this stream forced its contents to stable storage.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    /// <summary>Bytes written through this stream (LiteDB writes whole 8 KiB pages), for the write-cost breakdown.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Write calls made through this stream (one per page LiteDB writes).</summary>
    public long WriteCount => Interlocked.Read(ref _writeCount);

    /// <summary>Total time spent inside fsync on this stream, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long FsyncTicks => Interlocked.Read(ref _fsyncTicks);

    /// <summary>Test seam: runs after the fsync and before it is recorded, to stand for another thread writing while an fsync is under way.</summary>
    internal Action? WhileSyncing { get; set; }

    /// <summary>The underlying file path.</summary>
    public string Path => _inner.Name;

    /// <summary>Forces written bytes to stable storage (fsync) if anything was written since the last time.</summary>
    public void FlushToDisk()
    {
        var changes = Interlocked.Read(ref _changes);
        if (_readOnly || changes == Interlocked.Read(ref _changesSynced))
        {
            return;
        }

        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        _inner.Flush(flushToDisk: true);
        WhileSyncing?.Invoke();
        MarkSynced(changes);
        Interlocked.Add(ref _fsyncTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _fsyncCount);
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => true;

    /// <inheritdoc />
    public override bool CanWrite => !_readOnly;

    /// <inheritdoc />
    public override long Length => _inner.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    /// <summary>LiteDB flushes at checkpoints; those reach the disk too.</summary>
    public override void Flush() => FlushToDisk();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    /// <inheritdoc />
    public override void SetLength(long value)
    {
        ThrowIfReadOnly();
        _inner.SetLength(value);
        Interlocked.Increment(ref _changes);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfReadOnly();
        _inner.Write(buffer, offset, count);
        Interlocked.Increment(ref _changes);
        Interlocked.Add(ref _bytesWritten, count);
        Interlocked.Increment(ref _writeCount);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            FlushToDisk();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Records that the changes counted up to <paramref name="changes"/> are on disk (never moving the mark back).</summary>
    private void MarkSynced(long changes)
    {
        var synced = Interlocked.Read(ref _changesSynced);
        while (synced < changes)
        {
            var seen = Interlocked.CompareExchange(ref _changesSynced, changes, synced);
            if (seen == synced)
            {
                return;
            }

            synced = seen;
        }
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new IOException($"The ledger file '{_inner.Name}' is open read-only; only the ledger's writer may change it.");
        }
    }
}
