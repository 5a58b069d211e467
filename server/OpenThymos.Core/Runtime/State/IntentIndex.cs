// The proposals in memory by agent and intent digest, so a re-submission is found without a scan.
namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// Maps (agent, intent digest of the current revision) to the ids of the proposals kept in memory with
/// it. Every submission looks for a pending duplicate under the runtime's lock; scanning every proposal
/// in memory cost 0.04–0.1 µs per pending proposal (226 µs with 2,362 pending in the throughput bench),
/// growing with the backlog, while this lookup does not.
/// </summary>
internal sealed class IntentIndex
{
    private readonly Dictionary<(string Agent, string Digest), List<string>> _ids = [];

    /// <summary>Records that proposal <paramref name="proposalId"/> now has this agent and digest.</summary>
    public void Add(string agent, string digest, string proposalId)
    {
        if (!_ids.TryGetValue((agent, digest), out var ids))
        {
            _ids[(agent, digest)] = ids = [];
        }

        ids.Add(proposalId);
    }

    /// <summary>Forgets the pairing (the proposal was revised or left memory).</summary>
    public void Remove(string agent, string digest, string proposalId)
    {
        if (_ids.TryGetValue((agent, digest), out var ids) && ids.Remove(proposalId) && ids.Count == 0)
        {
            _ids.Remove((agent, digest));
        }
    }

    /// <summary>The ids recorded with this agent and digest (empty when none).</summary>
    public IReadOnlyList<string> Find(string agent, string digest) =>
        _ids.TryGetValue((agent, digest), out var ids) ? ids : [];
}
