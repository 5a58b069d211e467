// The policy decision for a whole proposal: the strictest file verdict plus every file's trace.
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Policy;

/// <summary>The decision for a proposal of one or more file changes.</summary>
/// <param name="Outcome">The strictest verdict over all files.</param>
/// <param name="PolicyHash">The <see cref="ContentHash"/> text of the policy that decided.</param>
/// <param name="Files">One trace per file change, in the order given.</param>
public sealed record PolicyTrace(PolicyOutcome Outcome, string PolicyHash, IReadOnlyList<PolicyFileTrace> Files);
