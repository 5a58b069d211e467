// How many agent-socket connections one process, and all clients together, may hold open at once.
using System.Globalization;

namespace OpenThymos.Server.Sockets;

/// <summary>
/// Admits agent-socket connections up to a cap per peer process and a cap in total, so that a client which
/// opens connections without end (a bug or a hostile agent) cannot exhaust the sidecar's file descriptors
/// and memory, and cannot crowd out other agents: it is refused once it holds its share, and other
/// processes still get in. Thread-safe; every admitted connection must be released exactly once.
/// </summary>
public sealed class AgentConnectionLimit(int perProcess = AgentConnectionLimit.DefaultPerProcess, int total = AgentConnectionLimit.DefaultTotal)
{
    /// <summary>Connections one process may hold: far more than an agent needs (one connection carries any number of requests).</summary>
    public const int DefaultPerProcess = 64;

    /// <summary>Connections all clients together may hold.</summary>
    public const int DefaultTotal = 256;

    private readonly object _gate = new();
    private readonly Dictionary<int, int> _perProcess = [];
    private int _total;

    /// <summary>Connections admitted and not yet released.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// Admits a connection from <paramref name="processId"/> (null when the kernel did not say), or returns
    /// the sentence that tells the client why it was refused and what to do.
    /// </summary>
    public string? TryAdmit(int? processId)
    {
        lock (_gate)
        {
            if (_total >= total)
            {
                return $"The OpenThymos sidecar refused this agent connection: {total.ToString(CultureInfo.InvariantCulture)} agent connections are already open on its socket. Close connections you no longer use (one connection carries any number of requests), then connect again.";
            }
            if (processId is int pid)
            {
                var held = _perProcess.GetValueOrDefault(pid);
                if (held >= perProcess)
                {
                    return $"The OpenThymos sidecar refused this agent connection: process {pid.ToString(CultureInfo.InvariantCulture)} already holds {held.ToString(CultureInfo.InvariantCulture)} agent connections, the most one process may hold. Close connections you no longer use (one connection carries any number of requests), then connect again.";
                }
                _perProcess[pid] = held + 1;
            }
            _total++;
            return null;
        }
    }

    /// <summary>Releases a connection admitted for <paramref name="processId"/>.</summary>
    public void Release(int? processId)
    {
        lock (_gate)
        {
            _total--;
            if (processId is int pid && _perProcess.TryGetValue(pid, out var held))
            {
                if (held <= 1)
                {
                    _perProcess.Remove(pid);
                }
                else
                {
                    _perProcess[pid] = held - 1;
                }
            }
        }
    }
}
