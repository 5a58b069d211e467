// A request to grant an agent session a writ, and the issued result.
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

/// <summary>What a human grants an agent session.</summary>
/// <param name="Agent">The agent's name (e.g. <c>claude-code</c>).</param>
/// <param name="Session">A name for this session.</param>
/// <param name="Include">Path globs the agent may touch.</param>
/// <param name="Exclude">Path globs it may not, even inside <paramref name="Include"/>.</param>
/// <param name="Effects">The effect ceiling: which of create, modify, delete, rename it may propose.</param>
/// <param name="Budget">Proposal, file and byte budgets; null members are unlimited.</param>
/// <param name="Lifetime">How long the writ is valid from now.</param>
/// <param name="ParentId">The writ this one is delegated from; it must be strictly narrower.</param>
public sealed record WritRequest(
    string Agent,
    string Session,
    IReadOnlyList<string> Include,
    IReadOnlyList<string>? Exclude,
    Effects Effects,
    WritBudget? Budget,
    TimeSpan Lifetime,
    string? ParentId = null);

/// <summary>An issued writ and the token the agent presents to open its session.</summary>
/// <param name="Writ">The writ as signed.</param>
/// <param name="Token">The bearer token for the agent.</param>
/// <param name="Seq">The ledger entry that issued it.</param>
public sealed record IssuedWrit(Writ Writ, string Token, long Seq);
