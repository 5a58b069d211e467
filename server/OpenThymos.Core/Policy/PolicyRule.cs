// One ordered rule of the workspace policy: which changes it matches and what it decides for them.
using OpenThymos.Core.Globs;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Policy;

/// <summary>
/// A policy rule. It matches a change when a <see cref="Paths"/> glob matches, no
/// <see cref="Exclude"/> glob matches, the effect is allowed, and the change is within the limits.
/// Globs are compiled when the rule is built, so a bad pattern fails at load time.
/// </summary>
public sealed class PolicyRule
{
    private readonly Glob[] _paths;
    private readonly Glob[] _exclude;

    /// <summary>Builds and validates a rule.</summary>
    /// <exception cref="InvalidGlobException">A pattern is malformed.</exception>
    /// <exception cref="ArgumentException">The name is empty, no paths are given, or a limit is negative.</exception>
    public PolicyRule(string name, IReadOnlyList<string> paths, IReadOnlyList<string>? exclude, Effects? effects, int? maxChangedLines, long? maxBytes, PolicyOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException($"Rule '{name}' has no paths; list at least one glob such as 'src/**'.", nameof(paths));
        }

        if (effects is { } set && (set == Writs.Effects.None || (set & ~Writs.Effects.All) != 0))
        {
            throw new ArgumentException($"Rule '{name}' must list at least one known effect.", nameof(effects));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxChangedLines ?? 0, nameof(maxChangedLines));
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes ?? 0, nameof(maxBytes));
        Name = name;
        Paths = [.. paths];
        Exclude = [.. exclude ?? []];
        Effects = effects;
        MaxChangedLines = maxChangedLines;
        MaxBytes = maxBytes;
        Outcome = outcome;
        _paths = [.. Paths.Select(Glob.Parse)];
        _exclude = [.. Exclude.Select(Glob.Parse)];
    }

    /// <summary>The rule's name, shown in traces.</summary>
    public string Name { get; }

    /// <summary>Globs of paths the rule covers.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Globs of paths the rule never covers, even when <see cref="Paths"/> match.</summary>
    public IReadOnlyList<string> Exclude { get; }

    /// <summary>The effects the rule covers; null means every effect.</summary>
    public Effects? Effects { get; }

    /// <summary>The most changed lines a covered change may have; null means no limit.</summary>
    public int? MaxChangedLines { get; }

    /// <summary>The most bytes a covered change may have; null means no limit.</summary>
    public long? MaxBytes { get; }

    /// <summary>The verdict for changes the rule matches.</summary>
    public PolicyOutcome Outcome { get; }

    /// <summary>Returns null when the rule matches, or a short reason why it does not.</summary>
    /// <remarks>
    /// A rule that restricts (deny, require-approval) covers every spelling the file system takes for a path it
    /// names, and its exclusions only the exact spelling; a rule that permits (auto-approve) is the reverse. So a
    /// different spelling of a path (<c>SECRETS/a</c> for <c>secrets/**</c>) can make a decision stricter, never looser.
    /// </remarks>
    internal string? Mismatch(FileChange change)
    {
        var restricts = Outcome != PolicyOutcome.AutoApprove;
        if (!_paths.Any(glob => restricts ? glob.IsMatchAnySpelling(change.Path) : glob.IsMatch(change.Path)))
        {
            return $"path does not match [{string.Join(", ", Paths)}]";
        }

        var excluded = _exclude.FirstOrDefault(glob => restricts ? glob.IsMatch(change.Path) : glob.IsMatchAnySpelling(change.Path));
        if (excluded is not null)
        {
            return $"path excluded by '{excluded.Pattern}'";
        }

        if (Effects is { } effects && (effects & change.Effect) == 0)
        {
            return $"effect '{EffectNames.Name(change.Effect)}' is not in {EffectNames.Describe(effects)}";
        }

        if (MaxChangedLines is { } lines && change.ChangedLines > lines)
        {
            return $"{change.ChangedLines} changed lines exceed maxChangedLines {lines}";
        }

        if (MaxBytes is { } bytes && change.Bytes > bytes)
        {
            return $"{change.Bytes} bytes exceed maxBytes {bytes}";
        }

        return null;
    }
}
