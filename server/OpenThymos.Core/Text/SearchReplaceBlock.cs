// One search/replace edit as an agent sends it.
namespace OpenThymos.Core.Text;

/// <summary>
/// An edit that replaces the single place in a file where <paramref name="Search"/> occurs with
/// <paramref name="Replace"/>.
/// </summary>
/// <param name="Search">Text copied from the file; must occur exactly once (line endings aside).</param>
/// <param name="Replace">The text to put in its place.</param>
public sealed record SearchReplaceBlock(string Search, string Replace);
