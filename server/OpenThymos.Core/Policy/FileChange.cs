// One file's part of a proposal, as the policy sees it: where, what kind of change, and how big.
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Policy;

/// <summary>
/// A change to one file. For a rename, evaluate one change for the old path and one for the new
/// path, both with <see cref="Effects.Rename"/>, so neither end can slip past a rule.
/// </summary>
/// <param name="Path">The workspace-relative path, already confined.</param>
/// <param name="Effect">Exactly one effect.</param>
/// <param name="ChangedLines">Lines added plus lines removed.</param>
/// <param name="Bytes">The size of the new content in bytes (0 for a delete).</param>
public sealed record FileChange(string Path, Effects Effect, int ChangedLines, long Bytes);
