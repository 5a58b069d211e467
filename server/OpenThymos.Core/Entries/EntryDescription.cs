// What an entry says about itself, for timelines and filters: one line of text, its proposal, its paths and its agent.
namespace OpenThymos.Core.Entries;

/// <summary>The human facts of one entry (<see cref="EntryDescriber.Describe"/>).</summary>
/// <param name="Summary">A one-line description for display; <c>KIND (payload unreadable)</c> when the payload cannot be read.</param>
/// <param name="ProposalId">The proposal the payload names, if any.</param>
/// <param name="Paths">The workspace paths the payload names, each once, in payload order.</param>
/// <param name="Agent">The agent the entry concerns: from an <c>agent:NAME</c> actor, else from the payload.</param>
public sealed record EntryDescription(string Summary, string? ProposalId, IReadOnlyList<string> Paths, string? Agent);
