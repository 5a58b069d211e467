// Applies the workspace policy to proposed file changes: first matching rule, then the built-in floors.
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Policy;

/// <summary>
/// Evaluates changes against a <see cref="WorkspacePolicy"/>. Rules are tried in order and the
/// first match decides (no match: the default). Built-in protections are applied afterwards as
/// floors, so a permissive user rule can never lower them.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Decides one file change.</summary>
    /// <exception cref="ArgumentException">The change has no path, not exactly one effect, or negative sizes.</exception>
    public static PolicyFileTrace Evaluate(WorkspacePolicy policy, FileChange change)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(change.Path, nameof(change));
        if (!EffectNames.IsSingle(change.Effect))
        {
            throw new ArgumentException($"A file change has exactly one effect, but '{change.Path}' has '{change.Effect}'.", nameof(change));
        }

        if (change.ChangedLines < 0 || change.Bytes < 0)
        {
            throw new ArgumentException($"The change to '{change.Path}' has a negative size.", nameof(change));
        }

        var notMatched = new List<string>();
        var outcome = policy.DefaultOutcome;
        var decidedBy = "default";
        foreach (var rule in policy.Rules)
        {
            var mismatch = rule.Mismatch(change);
            if (mismatch is null)
            {
                outcome = rule.Outcome;
                decidedBy = rule.Name;
                break;
            }

            notMatched.Add($"{rule.Name}: {mismatch}");
        }

        var (floor, pattern) = BuiltinProtections.FloorFor(change.Path);
        if (floor > outcome)
        {
            outcome = floor;
            decidedBy = "builtin:" + pattern;
        }

        return new PolicyFileTrace(change.Path, change.Effect, outcome, decidedBy, notMatched);
    }

    /// <summary>Decides a proposal: the overall verdict is the strictest over its files.</summary>
    /// <exception cref="ArgumentException">The list is empty or a change is malformed.</exception>
    public static PolicyTrace Evaluate(WorkspacePolicy policy, IReadOnlyList<FileChange> changes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            throw new ArgumentException("A proposal needs at least one file change to evaluate.", nameof(changes));
        }

        var files = changes.Select(change => Evaluate(policy, change)).ToList();
        return new PolicyTrace(files.Max(file => file.Outcome), policy.Hash.ToString(), files);
    }
}
