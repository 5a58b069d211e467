// Reuses compiled globs across writ checks, since writs carry patterns as text.
using System.Collections.Concurrent;

namespace OpenThymos.Core.Globs;

/// <summary>A small bounded cache of compiled globs keyed by pattern text.</summary>
internal static class GlobCache
{
    private const int Capacity = 1024;
    private static readonly ConcurrentDictionary<string, Glob> Compiled = new(StringComparer.Ordinal);

    public static Glob Get(string pattern)
    {
        if (Compiled.TryGetValue(pattern, out var glob))
        {
            return glob;
        }

        // Crude bound: starting over is cheap and keeps memory flat under many distinct patterns.
        if (Compiled.Count >= Capacity)
        {
            Compiled.Clear();
        }

        return Compiled.GetOrAdd(pattern, Glob.Parse);
    }
}
