// CoalescingStream: held writes leave in one write and one flush, in order; unheld writes pass straight through.
using OpenThymos.Server.Rpc;
using Xunit;

namespace OpenThymos.Server.Tests.Rpc;

public sealed class CoalescingStreamTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HeldWritesLeaveInOneWriteAndOneFlushInOrder(bool writeSynchronously)
    {
        var inner = new RecordingStream();
        using var stream = new CoalescingStream(inner, writeSynchronously);

        await stream.WriteAsync("before "u8.ToArray());
        await stream.FlushAsync();
        Assert.Equal(["before "], inner.Writes);

        stream.Hold();
        await stream.WriteAsync("one "u8.ToArray());
        await stream.FlushAsync();
        stream.Write("two "u8);
        await stream.WriteAsync("three"u8.ToArray());
        Assert.Equal(["before "], inner.Writes);
        Assert.Equal(1, inner.Flushes);

        await stream.ReleaseAsync();
        Assert.Equal(["before ", "one two three"], inner.Writes);
        Assert.Equal(2, inner.Flushes);

        await stream.WriteAsync("after"u8.ToArray());
        Assert.Equal(["before ", "one two three", "after"], inner.Writes);
        Assert.Equal(writeSynchronously, inner.OnlySynchronousCalls);
    }

    [Fact]
    public async Task ReleasingWithNothingHeldWritesNothing()
    {
        var inner = new RecordingStream();
        using var stream = new CoalescingStream(inner);
        stream.Hold();
        await stream.ReleaseAsync();
        Assert.Empty(inner.Writes);
        Assert.Equal(0, inner.Flushes);
    }

    /// <summary>Records each write as one string, and whether any call came through the async methods.</summary>
    private sealed class RecordingStream : Stream
    {
        public List<string> Writes { get; } = [];

        public int Flushes { get; private set; }

        public bool OnlySynchronousCalls { get; private set; } = true;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => Writes.Add(System.Text.Encoding.UTF8.GetString(buffer));

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            OnlySynchronousCalls = false;
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush() => Flushes++;

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            OnlySynchronousCalls = false;
            Flushes++;
            return Task.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
