// A reviewer's request to replace what a proposal would write to one file.
namespace OpenThymos.Core.Runtime;

/// <summary>Replace what a proposal would write to one file with the reviewer's text.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Revision">The revision the reviewer edited; an older one is refused.</param>
/// <param name="Actor">Who amends, e.g. <c>human:alice</c>; recorded as the entry's actor.</param>
/// <param name="Path">The file of the proposal whose proposed text is replaced.</param>
/// <param name="Text">The file's whole new text, exactly as the reviewer saved it.</param>
public sealed record AmendRequest(string ProposalId, int Revision, string Actor, string Path, string Text);
