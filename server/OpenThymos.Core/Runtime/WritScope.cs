// What a writ lets an agent see: its include/exclude globs minus the built-in protected paths.
using System.Collections.Concurrent;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Globs;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Scope checks and the scoped workspace listing behind an agent's reads (<c>file/read</c>,
/// <c>file/list</c>, the MCP tools): one implementation for the sidecar and the CLI.
/// </summary>
public static class WritScope
{
    private static readonly ConcurrentDictionary<string, Glob> Globs = new(StringComparer.Ordinal);

    /// <summary>Null when the normalized path is readable under the writ, else the refusal.</summary>
    public static RuntimeError? Check(Writ writ, string path)
    {
        if (BuiltinProtections.FloorFor(path) is (PolicyOutcome.Deny, var pattern))
        {
            return new RuntimeError(RuntimeErrorCode.PolicyDenied, $"'{path}' is protected (built-in rule {pattern}); agents may not read or change it.");
        }
        if (!writ.Include.Any(p => GlobOf(p).IsMatch(path)))
        {
            return new RuntimeError(RuntimeErrorCode.WritRefused, $"Path '{path}' is outside writ '{writ.Id}', which covers [{string.Join(", ", writ.Include)}]; ask the user for a writ that covers it.");
        }
        // Exclusions protect, so they hold for every spelling of the excluded path (inclusions only for the exact one).
        if (writ.Exclude.FirstOrDefault(p => GlobOf(p).IsMatchAnySpelling(path)) is { } excluded)
        {
            return new RuntimeError(RuntimeErrorCode.WritRefused, $"Path '{path}' is excluded from writ '{writ.Id}' by '{excluded}'.");
        }
        return null;
    }

    /// <summary>Workspace files in scope, sorted, skipping .git, .thymos and symbolic links.</summary>
    public static (IReadOnlyList<string> Files, bool Truncated) List(string root, Writ writ, string? filter, int limit, CancellationToken cancellationToken)
    {
        using var workspace = new WorkspaceDirectory(root);
        return List(workspace, writ, filter, limit, cancellationToken);
    }

    /// <summary>
    /// Workspace files in scope, sorted, skipping .git, .thymos, symbolic links and special files. The listing reads
    /// folder handles and descends with no-follow opens beneath the root, so a folder swapped for a link while it
    /// runs is skipped, never listed through.
    /// </summary>
    public static (IReadOnlyList<string> Files, bool Truncated) List(WorkspaceDirectory workspace, Writ writ, string? filter, int limit, CancellationToken cancellationToken)
    {
        // The agent's filter is compiled afresh, not cached: any number of distinct filters must not grow memory.
        var filterGlob = string.IsNullOrEmpty(filter) ? null : Glob.Parse(filter);
        var found = workspace.ListFiles((name, _) => name is not (".git" or ".thymos"), cancellationToken)
            .Where(path => Check(writ, path) is null && (filterGlob is null || filterGlob.IsMatch(path)))
            .ToList();
        found.Sort(StringComparer.Ordinal);
        return found.Count > limit ? (found[..limit], true) : (found, false);
    }

    /// <summary>A parsed glob, cached.</summary>
    /// <exception cref="InvalidGlobException">The pattern is not a valid glob.</exception>
    public static Glob GlobOf(string pattern) => Globs.GetOrAdd(pattern, Glob.Parse);
}
