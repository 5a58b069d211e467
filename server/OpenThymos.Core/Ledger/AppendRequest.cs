// One caller's append waiting in the ledger's group-commit queue.
namespace OpenThymos.Core.Ledger;

/// <summary>One caller's append waiting in the group-commit queue, and its outcome once written.</summary>
internal sealed class AppendRequest(IReadOnlyList<PendingEntry> pending, IReadOnlyList<BlobWrite> blobs) : IDisposable
{
    private readonly ManualResetEventSlim _signal = new();
    private volatile bool _done;

    public IReadOnlyList<PendingEntry> Pending { get; } = pending;

    public IReadOnlyList<BlobWrite> Blobs { get; } = blobs;

    /// <summary>True once the request's entries are durable or it failed; set only by the writer, after the store's fsync.</summary>
    public bool IsDone => _done;

    public IReadOnlyList<LedgerEntry> Appended { get; private set; } = [];

    public Exception? Error { get; private set; }

    public void Complete(IReadOnlyList<LedgerEntry> appended)
    {
        Appended = appended;
        _done = true;
        _signal.Set();
    }

    public void Fail(Exception error)
    {
        Error = error;
        _done = true;
        _signal.Set();
    }

    /// <summary>Wakes the caller without completing the request: it becomes the writer.</summary>
    public void Promote() => _signal.Set();

    /// <summary>Blocks until the request is done or its caller was made the writer.</summary>
    public void WaitUntilDoneOrPromoted() => _signal.Wait();

    public void Dispose() => _signal.Dispose();
}
