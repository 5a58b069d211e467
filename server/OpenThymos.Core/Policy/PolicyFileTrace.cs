// How the policy decided one file: plain data, so it can be serialized into the ledger as is.
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Policy;

/// <summary>The policy decision for one file and how it was reached.</summary>
/// <param name="Path">The file's workspace-relative path.</param>
/// <param name="Effect">The change's effect.</param>
/// <param name="Outcome">The final verdict for this file, floors included.</param>
/// <param name="DecidedBy">The rule name, "default", or "builtin:&lt;pattern&gt;" when a protection raised the verdict.</param>
/// <param name="NotMatched">Rules tried before the decision, each as "name: why it did not match".</param>
public sealed record PolicyFileTrace(string Path, Effects Effect, PolicyOutcome Outcome, string DecidedBy, IReadOnlyList<string> NotMatched);
