// The physical limit: append 1 KiB to a file and fsync it, on the same disk as the ledger.
using System.Security.Cryptography;

namespace OpenThymos.Bench.Anchors;

/// <summary>A plain append-only file where every append is forced to stable storage before returning.</summary>
internal sealed class RawFsyncAppend : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _record = RandomNumberGenerator.GetBytes(1024);

    public RawFsyncAppend(string folder)
    {
        _file = new FileStream(Path.Combine(folder, "raw-append.log"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    }

    /// <summary>Appends one 1 KiB record and returns once it is on stable storage (write + fsync).</summary>
    public void Append()
    {
        _file.Write(_record);
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();
}
