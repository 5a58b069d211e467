// The output side of a connection: passes writes through, or holds them while a batch of notifications is written, so the batch leaves in one write.
using System.Buffers;

namespace OpenThymos.Server.Rpc;

/// <summary>
/// StreamJsonRpc writes and flushes every message on its own, so a batch of notifications (a <c>ledger/didAppend</c>
/// followed by the <c>proposal/didChange</c> it caused) costs one write system call each and wakes the client once
/// each. Between <see cref="Hold"/> and <see cref="ReleaseAsync"/> writes and flushes are collected in memory instead;
/// the release writes them in one call and flushes once. Every write is serialized by one lock, so bytes leave in the
/// order they were written, whether held or passed through.
/// With <c>writeSynchronously</c> (stdout) the inner stream is written with its blocking <c>Write</c> and <c>Flush</c>
/// even from <c>WriteAsync</c>: a console stream's <c>WriteAsync</c> and <c>FlushAsync</c> are the base class's
/// wrappers that queue that same blocking call to the thread pool, one hop each, for every message.
/// </summary>
public sealed class CoalescingStream(Stream inner, bool writeSynchronously = false) : Stream
{
    /// <summary>A held buffer that grew past this is dropped after its release, so one large batch does not pin memory.</summary>
    private const int RetainedBufferBytes = 256 * 1024;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private ArrayBufferWriter<byte> _held = new(4096);
    private volatile bool _holding;

    /// <summary>From now on writes are kept in memory until <see cref="ReleaseAsync"/>. Never blocks.</summary>
    public void Hold() => _holding = true;

    /// <summary>Writes what was held in one call and flushes once; later writes pass through again.</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _holding = false;
            if (_held.WrittenCount == 0)
            {
                return;
            }
            try
            {
                await WriteInnerAsync(_held.WrittenMemory, cancellationToken);
                await FlushInnerAsync(cancellationToken);
            }
            finally
            {
                if (_held.Capacity > RetainedBufferBytes)
                {
                    _held = new ArrayBufferWriter<byte>(4096);
                }
                else
                {
                    _held.ResetWrittenCount();
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_holding)
            {
                _held.Write(buffer.Span);
                return;
            }
            await WriteInnerAsync(buffer, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _lock.Wait();
        try
        {
            if (_holding)
            {
                _held.Write(buffer);
                return;
            }
            inner.Write(buffer);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_holding)
        {
            return;
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            // Held bytes are flushed by ReleaseAsync; a flush that raced with Hold flushes only what passed through.
            await FlushInnerAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_holding)
        {
            return;
        }
        _lock.Wait();
        try
        {
            inner.Flush();
        }
        finally
        {
            _lock.Release();
        }
    }

    private ValueTask WriteInnerAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!writeSynchronously)
        {
            return inner.WriteAsync(buffer, cancellationToken);
        }
        inner.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    private Task FlushInnerAsync(CancellationToken cancellationToken)
    {
        if (!writeSynchronously)
        {
            return inner.FlushAsync(cancellationToken);
        }
        inner.Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The semaphore is not disposed: a writer may still be waiting on it, and it holds no wait handle.
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
