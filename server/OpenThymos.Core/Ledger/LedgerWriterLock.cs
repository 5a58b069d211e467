// The single-writer lock of a ledger: an OS file lock, released by the kernel if the holder dies.
using System.Diagnostics;
using System.Text.Json;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Holds an exclusive lock on <c>&lt;ledger&gt;.lock</c> for as long as a writer has the ledger open.
/// The lock is an advisory <c>flock</c> taken by <see cref="FileShare.None"/>, so a killed process
/// never leaves a stale lock behind. Who holds it is written beside it in <c>&lt;ledger&gt;.holder</c>
/// so that a second writer can be told whom to stop.
/// </summary>
public sealed class LedgerWriterLock : IDisposable
{
    private readonly FileStream _lockStream;

    private LedgerWriterLock(FileStream lockStream, string holderPath)
    {
        _lockStream = lockStream;
        HolderPath = holderPath;
    }

    /// <summary>Where the holder description is written.</summary>
    public string HolderPath { get; }

    /// <summary>Takes the lock or throws <see cref="LedgerLockedException"/> naming the current holder.</summary>
    public static LedgerWriterLock Acquire(string ledgerPath, string holderDescription)
    {
        var lockPath = ledgerPath + ".lock";
        var holderPath = ledgerPath + ".holder";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new LedgerLockedException(ledgerPath, ReadHolder(holderPath));
        }

        var holder = new LedgerHolder(
            Environment.ProcessId,
            Environment.MachineName,
            Process.GetCurrentProcess().ProcessName,
            holderDescription,
            DateTimeOffset.UtcNow);
        File.WriteAllText(holderPath, JsonSerializer.Serialize(holder, LedgerJsonContext.Default.LedgerHolder));
        return new LedgerWriterLock(stream, holderPath);
    }

    /// <summary>Reads who holds (or last held) the lock; null when unknown.</summary>
    public static LedgerHolder? ReadHolder(string holderPath)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(holderPath), LedgerJsonContext.Default.LedgerHolder);
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(HolderPath);
        }
        catch (IOException)
        {
            // The holder file is advisory; the kernel lock below is what matters.
        }

        _lockStream.Dispose();
    }
}

/// <summary>Who holds a ledger's writer lock.</summary>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="Host">The machine name.</param>
/// <param name="ProcessName">The holder's executable name.</param>
/// <param name="Description">What the holder is, e.g. "thymos sidecar for /src/app".</param>
/// <param name="Since">When it took the lock.</param>
public sealed record LedgerHolder(int ProcessId, string Host, string ProcessName, string Description, DateTimeOffset Since)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Description} (process {ProcessId} '{ProcessName}' on {Host}, since {Since:u})";
}

/// <summary>Thrown when a second writer tries to open a ledger that another writer holds.</summary>
public sealed class LedgerLockedException : IOException
{
    /// <summary>Creates the exception with a message naming the holder.</summary>
    public LedgerLockedException(string ledgerPath, LedgerHolder? holder)
        : base($"The ledger '{ledgerPath}' is already open for writing by {holder?.ToString() ?? "another process"}. "
            + "Only one writer may hold a ledger: talk to that process (the running sidecar) or stop it, then try again.")
    {
        LedgerPath = ledgerPath;
        Holder = holder;
    }

    /// <summary>The ledger that is locked.</summary>
    public string LedgerPath { get; }

    /// <summary>The current holder, when known.</summary>
    public LedgerHolder? Holder { get; }
}
