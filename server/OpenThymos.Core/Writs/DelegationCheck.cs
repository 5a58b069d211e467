// The result of checking that a delegated writ is no wider than its parent.
namespace OpenThymos.Core.Writs;

/// <summary>Whether a child writ is within its parent, and every way it is not.</summary>
/// <param name="Reasons">User-facing reasons the child is wider; empty when it is within the parent.</param>
public sealed record DelegationCheck(IReadOnlyList<string> Reasons)
{
    /// <summary>True when the child grants nothing the parent does not.</summary>
    public bool IsNarrower => Reasons.Count == 0;
}
