// Checks that a writ delegated from another grants nothing more: scope, effects, budget and lifetime.
using System.Globalization;
using OpenThymos.Core.Globs;

namespace OpenThymos.Core.Writs;

/// <summary>
/// Validates delegation. Glob containment is undecidable in general for our syntax, so include
/// coverage is judged by a deliberately simple, conservative rule: a child include is covered when
/// it equals a parent include, when the parent include is <c>**</c>, or when the parent include ends
/// with <c>/**</c> and the child starts with the text before that <c>**</c>.
/// </summary>
public static class WritDelegation
{
    /// <summary>Lists every way the child is wider than the parent; none means it may be issued.</summary>
    public static DelegationCheck CheckNarrower(Writ parent, Writ child)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(child);
        var reasons = new List<string>();
        if (!string.Equals(child.ParentId, parent.Id, StringComparison.Ordinal))
        {
            reasons.Add($"Writ {child.Id} names parent '{child.ParentId ?? "(none)"}', not {parent.Id}; set its parent id to {parent.Id}.");
        }

        if (!string.Equals(child.WorkspaceId, parent.WorkspaceId, StringComparison.Ordinal))
        {
            reasons.Add($"Writ {child.Id} is for workspace '{child.WorkspaceId}', but its parent {parent.Id} is for '{parent.WorkspaceId}'.");
        }

        foreach (var pattern in child.Include.Concat(child.Exclude))
        {
            if (!Glob.TryParse(pattern, out _, out var error))
            {
                reasons.Add($"Writ {child.Id}: {error}");
            }
        }

        foreach (var include in child.Include.Where(include => !parent.Include.Any(p => Covers(p, include))))
        {
            reasons.Add($"Include '{include}' of writ {child.Id} is not within the parent's includes [{string.Join(", ", parent.Include)}]; use one of those or a path under one ending in '/**'.");
        }

        foreach (var exclude in parent.Exclude.Where(exclude => !child.Exclude.Contains(exclude, StringComparer.Ordinal)))
        {
            reasons.Add($"Writ {child.Id} drops the parent's exclude '{exclude}'; keep every exclude of {parent.Id}.");
        }

        var extra = child.Effects & ~parent.Effects;
        if (extra != Effects.None)
        {
            reasons.Add($"Writ {child.Id} allows {EffectNames.Describe(extra)}, which its parent {parent.Id} does not; allow only {EffectNames.Describe(parent.Effects)} or fewer.");
        }

        CheckLimit(reasons, child, parent, "maxProposals", child.Budget.MaxProposals, parent.Budget.MaxProposals);
        CheckLimit(reasons, child, parent, "maxFiles", child.Budget.MaxFiles, parent.Budget.MaxFiles);
        CheckLimit(reasons, child, parent, "maxBytes", child.Budget.MaxBytes, parent.Budget.MaxBytes);
        if (child.ExpiresAt > parent.ExpiresAt)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Writ {child.Id} expires at {child.ExpiresAt:O}, after its parent {parent.Id} ({parent.ExpiresAt:O}); expire no later than the parent."));
        }

        return new DelegationCheck(reasons);
    }

    private static bool Covers(string parent, string child)
    {
        if (string.Equals(parent, child, StringComparison.Ordinal) || parent == "**")
        {
            return true;
        }

        // The prefix must be plain text: a brace, class or escape opened in it could be closed by
        // the child's own text and change what the child's pattern means.
        var prefix = parent.EndsWith("/**", StringComparison.Ordinal) ? parent[..^2] : null;
        return prefix is not null && prefix.IndexOfAny(['{', '}', '[', ']', '\\']) < 0 && child.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static void CheckLimit(List<string> reasons, Writ child, Writ parent, string name, long? childLimit, long? parentLimit)
    {
        if (parentLimit is not { } limit)
        {
            return;
        }

        if (childLimit is not { } value)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Writ {child.Id} has no {name} limit, but its parent {parent.Id} allows {limit}; set {name} to {limit} or less."));
        }
        else if (value > limit)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Writ {child.Id} sets {name} to {value}, more than its parent {parent.Id} allows ({limit}); set it to {limit} or less."));
        }
    }
}
