// An agent session admitted by presenting a valid writ token.
namespace OpenThymos.Core.Runtime;

/// <summary>An agent's session: the writ it presented, verified against the ledger and the workspace key.</summary>
/// <param name="WritId">The writ's id.</param>
/// <param name="Agent">The agent's name from the writ.</param>
/// <param name="Session">The session name from the writ.</param>
public sealed record AgentSession(string WritId, string Agent, string Session);
