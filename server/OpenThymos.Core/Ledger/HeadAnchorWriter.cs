// Keeps the signed head anchor current without putting its signature and file write on the append path.
using OpenThymos.Core.Signing;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Writes the head anchor in the background: appends hand it the newest durable head and return at
/// once; one worker signs and writes the newest head it was given (heads handed over while it writes
/// are coalesced into the next write). Every head it is given is already durable, so the anchor is
/// never ahead of the ledger; it may lag it by the appends of the last moments. For truncation
/// detection that means: cutting off entries newer than the anchor goes unnoticed, exactly as if they
/// had been appended just before a crash; cutting below the anchor is detected. Dispose (and
/// <see cref="Flush"/>) write the newest head before returning, so a clean shutdown leaves the anchor
/// at the head. After the anchor, the same signed record is written as the head witness in the state folder
/// (<see cref="HeadWitness"/>), so the witness is never ahead of the anchor. Both writes are a small file and a
/// rename on this background thread, with no fsync: nothing on the append or approve path waits for them.
/// </summary>
internal sealed class HeadAnchorWriter : IDisposable
{
    private readonly string _keyDirectory;
    private readonly string _stateDirectory;
    private readonly WorkspaceKey _key;
    private readonly string _workspaceId;
    private readonly object _gate = new();
    private LedgerEntry? _wanted;
    private long _writtenSeq;
    private bool _working;
    private bool _disposed;
    private bool _foldersReady; // touched only by the one worker writing at a time

    public HeadAnchorWriter(string keyDirectory, string stateDirectory, WorkspaceKey key, string workspaceId)
    {
        _keyDirectory = keyDirectory;
        _stateDirectory = stateDirectory;
        _key = key;
        _workspaceId = workspaceId;
    }

    /// <summary>Hands over a durable head; the anchor follows it soon, on a pool thread.</summary>
    public void Advance(LedgerEntry durableHead)
    {
        lock (_gate)
        {
            if (_disposed || durableHead.Seq <= (_wanted?.Seq ?? _writtenSeq))
            {
                return;
            }

            _wanted = durableHead;
            if (_working)
            {
                return;
            }

            _working = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(_ => WriteUntilCurrent(), null);
    }

    /// <summary>Returns once the anchor names the newest head handed over.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            while (_working)
            {
                Monitor.Wait(_gate);
            }

            if (_wanted is null)
            {
                return;
            }

            _working = true;
        }

        WriteUntilCurrent();
    }

    public void Dispose()
    {
        Flush();
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private void WriteUntilCurrent()
    {
        while (true)
        {
            LedgerEntry head;
            lock (_gate)
            {
                if (_wanted is null)
                {
                    _working = false;
                    Monitor.PulseAll(_gate);
                    return;
                }

                head = _wanted;
                _wanted = null;
            }

            try
            {
                // One signature serves both records; the folders are made (and narrowed) on the first write only.
                var anchor = HeadAnchor.Sign(_key, _workspaceId, head.Seq, head.Hash.ToString());
                anchor.WriteTo(HeadAnchor.PathFor(_keyDirectory, _workspaceId), createFolder: !_foldersReady);
                HeadWitness.Write(_stateDirectory, anchor, createFolders: !_foldersReady);
                _foldersReady = true;
                lock (_gate)
                {
                    _writtenSeq = head.Seq;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _foldersReady = false; // a folder may have been removed: make it again next time
                // The anchor only lags; the next append tries again. Verify reports an anchor that is behind as nothing wrong.
                Console.Error.WriteLine($"OpenThymos: could not write the head anchor in '{_keyDirectory}' or its witness in '{_stateDirectory}': {exception.Message}");
            }
        }
    }
}
