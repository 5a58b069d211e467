// Decides whether a writ (and every writ it was delegated from) covers one file change right now.
using System.Globalization;
using OpenThymos.Core.Globs;

namespace OpenThymos.Core.Writs;

/// <summary>
/// Checks a change against a writ. Validity times, effects and path scope are checked against the
/// writ and every ancestor, so a delegated writ that was somehow issued wider than its parent
/// still cannot exceed it. Budgets are checked against every writ of the chain whose usage is given: the runtime charges
/// work under a delegated writ to each writ it descends from, so a parent's budget bounds all its delegates together.
/// </summary>
public static class WritAuthority
{
    /// <summary>Checks one file change.</summary>
    /// <param name="writ">The writ the agent presented.</param>
    /// <param name="ancestors">The writs it was delegated from, in any order (empty for a root writ).</param>
    /// <param name="used">Work already done under the writ. For a proposal with several files, add the
    /// earlier files and bytes of the same proposal before checking the next file, but not the proposal itself.</param>
    /// <param name="path">The confined workspace-relative path.</param>
    /// <param name="effect">Exactly one effect.</param>
    /// <param name="bytes">Bytes of new content this change writes.</param>
    /// <param name="now">The current time.</param>
    public static WritCheck Check(Writ writ, IReadOnlyList<Writ> ancestors, WritUsage used, string path, Effects effect, long bytes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(used);
        return Check(writ, ancestors, each => ReferenceEquals(each, writ) ? used : null, path, effect, bytes, now);
    }

    /// <summary>Checks one file change, with the budget of every writ of the chain.</summary>
    /// <param name="writ">The writ the agent presented.</param>
    /// <param name="ancestors">The writs it was delegated from, in any order (empty for a root writ).</param>
    /// <param name="usageOf">
    /// Work already done under a writ of the chain, including what the writs delegated from it did (same rules as
    /// <c>used</c> in the other overload); null for a writ whose budget is not checked.
    /// </param>
    /// <param name="path">The confined workspace-relative path.</param>
    /// <param name="effect">Exactly one effect.</param>
    /// <param name="bytes">Bytes of new content this change writes.</param>
    /// <param name="now">The current time.</param>
    public static WritCheck Check(Writ writ, IReadOnlyList<Writ> ancestors, Func<Writ, WritUsage?> usageOf, string path, Effects effect, long bytes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writ);
        ArgumentNullException.ThrowIfNull(ancestors);
        ArgumentNullException.ThrowIfNull(usageOf);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!EffectNames.IsSingle(effect))
        {
            throw new ArgumentException($"A change has exactly one effect, but '{path}' has '{effect}'.", nameof(effect));
        }

        foreach (var each in ancestors.Prepend(writ))
        {
            var refusal = CheckTime(each, writ, path, now) ?? CheckEffect(each, writ, path, effect) ?? CheckScope(each, writ, path);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        foreach (var each in ancestors.Prepend(writ))
        {
            if (usageOf(each) is { } used && CheckBudget(each, writ, used, path, bytes) is { } refusal)
            {
                return refusal;
            }
        }

        return WritCheck.Allowed;
    }

    private static WritCheck? CheckTime(Writ each, Writ writ, string path, DateTimeOffset now)
    {
        var which = Which(each, writ);
        if (now < each.IssuedAt)
        {
            return WritCheck.Refused(WritRefusalCode.NotYetValid, Format($"{which} is not valid until {each.IssuedAt:O}, so it cannot cover '{path}' yet; check the clock or wait, then try again."));
        }

        if (now >= each.ExpiresAt)
        {
            return WritCheck.Refused(WritRefusalCode.Expired, Format($"{which} expired at {each.ExpiresAt:O}, so it no longer covers '{path}'; ask the user to issue a new writ."));
        }

        return null;
    }

    private static WritCheck? CheckEffect(Writ each, Writ writ, string path, Effects effect)
    {
        if ((each.Effects & effect) != 0)
        {
            return null;
        }

        return WritCheck.Refused(WritRefusalCode.EffectNotAllowed, $"{Which(each, writ)} does not allow '{EffectNames.Name(effect)}' on '{path}'; it allows {EffectNames.Describe(each.Effects)}. Ask for a writ that includes '{EffectNames.Name(effect)}'.");
    }

    private static WritCheck? CheckScope(Writ each, Writ writ, string path)
    {
        if (!each.Include.Any(pattern => GlobCache.Get(pattern).IsMatch(path)))
        {
            return WritCheck.Refused(WritRefusalCode.OutOfScope, $"Path '{path}' is outside {Which(each, writ)}, which covers [{string.Join(", ", each.Include)}]; stay within those paths or ask for a writ that covers '{path}'.");
        }

        // Exclusions protect, so they hold for every spelling of the excluded path (inclusions only for the exact one).
        var excluded = each.Exclude.FirstOrDefault(pattern => GlobCache.Get(pattern).IsMatchAnySpelling(path));
        if (excluded is not null)
        {
            return WritCheck.Refused(WritRefusalCode.Excluded, $"Path '{path}' is excluded from {Which(each, writ)} by '{excluded}'; leave that file alone or ask the user to edit it.");
        }

        return null;
    }

    private static WritCheck? CheckBudget(Writ each, Writ writ, WritUsage used, string path, long bytes)
    {
        var budget = each.Budget;
        var which = Which(each, writ);
        var under = ReferenceEquals(each, writ) ? "" : $" under it and the writs delegated from it";
        if (budget.MaxProposals is { } proposals && used.Proposals + 1 > proposals)
        {
            return WritCheck.Refused(WritRefusalCode.BudgetProposals, Format($"{which} allows {proposals} proposals and {used.Proposals} are already staged{under}, so '{path}' cannot be proposed; ask for a new writ to continue."));
        }

        var files = used.Files.Contains(path) ? used.Files.Count : used.Files.Count + 1;
        if (budget.MaxFiles is { } maxFiles && files > maxFiles)
        {
            return WritCheck.Refused(WritRefusalCode.BudgetFiles, Format($"{which} allows {maxFiles} files and {files - 1} are already touched{under}, so '{path}' would exceed it; finish with the files already touched or ask for a larger writ."));
        }

        if (budget.MaxBytes is { } maxBytes && used.Bytes + bytes > maxBytes)
        {
            return WritCheck.Refused(WritRefusalCode.BudgetBytes, Format($"{which} allows {maxBytes} bytes and {used.Bytes} are used{under}, so {bytes} more bytes for '{path}' would exceed it; make a smaller change or ask for a larger writ."));
        }

        return null;
    }

    private static string Which(Writ each, Writ writ) =>
        ReferenceEquals(each, writ) ? $"Writ {writ.Id}" : $"Writ {writ.Id}'s ancestor {each.Id}";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
