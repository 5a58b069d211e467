// The file-system work an approval cannot skip, done with plain calls: no LiteDB, no runtime.
using System.Diagnostics;
using System.Security.Cryptography;

namespace OpenThymos.Bench.Anchors;

/// <summary>
/// The approve write protocol's own file operations with nothing else around them: write the new
/// version to a temp file (no fsync), append as many bytes as LiteDB writes to its log for the
/// approval's transaction and fsync them, then rename the temp file over the target. Timing it next to
/// the raw 1 KiB append shows how much of an approval's latency the protocol's syscalls alone cost on
/// this disk (the fsync here commits the temp file's and the rename's metadata in the ext4 journal too).
/// </summary>
internal sealed class ApproveSyscallFloor : IDisposable
{
    private readonly string _staging;
    private readonly string _target;
    private readonly FileStream _log;
    private readonly byte[] _fileContent;
    private readonly byte[] _logRecord;
    private int _next;

    public ApproveSyscallFloor(string folder, int fileBytes, int logBytes)
    {
        _staging = Path.Combine(folder, "floor-staging");
        Directory.CreateDirectory(_staging);
        _target = Path.Combine(folder, "floor-target.txt");
        File.WriteAllBytes(_target, RandomNumberGenerator.GetBytes(fileBytes));
        _fileContent = RandomNumberGenerator.GetBytes(fileBytes);
        _logRecord = RandomNumberGenerator.GetBytes(logBytes);
        _log = new FileStream(Path.Combine(folder, "floor-log.db"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    }

    /// <summary>Temp file written, log record appended and fsynced, temp file renamed over the target; returns each part's milliseconds.</summary>
    public (double TempFile, double LogFsync, double Rename) Run()
    {
        var start = Stopwatch.GetTimestamp();
        var temporary = Path.Combine(_staging, (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(_fileContent);
        }

        var written = Stopwatch.GetTimestamp();
        _log.Write(_logRecord);
        _log.Flush(flushToDisk: true);
        var synced = Stopwatch.GetTimestamp();
        File.Move(temporary, _target, overwrite: true);
        var renamed = Stopwatch.GetTimestamp();
        return (Ms(written - start), Ms(synced - written), Ms(renamed - synced));
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public void Dispose() => _log.Dispose();
}
