// The ledger's file stream fsyncs exactly when something was written since the last fsync, even when writes race an fsync.
using OpenThymos.Core.Storage.LiteDb;
using Xunit;

namespace OpenThymos.Core.Tests.Storage.LiteDb;

public sealed class DurableFileStreamTests
{
    [Fact]
    public void AnFsyncHappensOnlyAfterAWriteOrALengthChange()
    {
        using var workspace = new TempWorkspace();
        var path = Path.Combine(workspace.Root, "log.db");
        using (var stream = new DurableFileStream(path, readOnly: false))
        {
            stream.FlushToDisk();
            Assert.Equal(0, stream.FsyncCount); // nothing written yet

            stream.Write([1, 2, 3], 0, 3);
            stream.FlushToDisk();
            stream.FlushToDisk();
            Assert.Equal(1, stream.FsyncCount);

            stream.SetLength(1);
            stream.Flush(); // LiteDB's Flush reaches the disk too
            Assert.Equal(2, stream.FsyncCount);
        }

        using var reader = new DurableFileStream(path, readOnly: true);
        reader.FlushToDisk();
        Assert.Equal(0, reader.FsyncCount);
        Assert.Throws<IOException>(() => reader.Write([4], 0, 1));
    }

    /// <summary>
    /// A write that lands while another thread's fsync is under way is not covered by that fsync, so the next
    /// FlushToDisk must fsync again. (With a "dirty" flag cleared after the fsync, that write was forgotten and
    /// the next FlushToDisk returned without an fsync: an acknowledgement could then precede the data on disk.)
    /// </summary>
    [Fact]
    public void AWriteDuringAnFsyncIsFsyncedByTheNextFlush()
    {
        using var workspace = new TempWorkspace();
        using var stream = new DurableFileStream(Path.Combine(workspace.Root, "log.db"), readOnly: false);
        stream.Write([1], 0, 1);
        var raced = false;
        stream.WhileSyncing = () =>
        {
            if (!raced)
            {
                raced = true;
                stream.Write([2], 0, 1); // the other thread's write, during the first fsync
            }
        };

        stream.FlushToDisk();
        Assert.True(raced);
        Assert.Equal(1, stream.FsyncCount);

        stream.FlushToDisk();
        Assert.Equal(2, stream.FsyncCount);
        stream.FlushToDisk();
        Assert.Equal(2, stream.FsyncCount); // and then nothing is left to sync
    }
}
