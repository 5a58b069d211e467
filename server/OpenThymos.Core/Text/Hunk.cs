// One contiguous change between a base file and a new version: the unit a human approves or rejects.
namespace OpenThymos.Core.Text;

/// <summary>
/// A contiguous change to a base file: at line <see cref="BaseStart"/> the lines in
/// <see cref="RemovedLines"/> are replaced by <see cref="AddedLines"/>. Lines carry their exact
/// terminators so applying a hunk is byte-exact.
/// </summary>
/// <param name="Id">A short id such as "h1", assigned in file order, used for per-hunk approval.</param>
/// <param name="BaseStart">The 0-based index in the base lines where the change starts.</param>
/// <param name="RemovedLines">The exact base lines (with terminators) that the hunk removes.</param>
/// <param name="AddedLines">The exact lines (with terminators) that the hunk inserts in their place.</param>
public sealed record Hunk(string Id, int BaseStart, IReadOnlyList<string> RemovedLines, IReadOnlyList<string> AddedLines)
{
    /// <summary>How many base lines the hunk covers.</summary>
    public int BaseCount => RemovedLines.Count;

    /// <summary>The first base line index after the hunk (exclusive end of its base range).</summary>
    public int BaseEnd => BaseStart + BaseCount;

    /// <summary>How many lines the file grows (positive) or shrinks (negative) when the hunk is applied.</summary>
    public int LineDelta => AddedLines.Count - RemovedLines.Count;

    /// <summary>Value equality including the lines themselves (records alone would compare the list references).</summary>
    public bool Equals(Hunk? other) =>
        other is not null
        && Id == other.Id
        && BaseStart == other.BaseStart
        && RemovedLines.SequenceEqual(other.RemovedLines)
        && AddedLines.SequenceEqual(other.AddedLines);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Id);
        hash.Add(BaseStart);
        foreach (var line in RemovedLines)
        {
            hash.Add(line);
        }

        hash.Add(-1);
        foreach (var line in AddedLines)
        {
            hash.Add(line);
        }

        return hash.ToHashCode();
    }

    /// <summary>A compact, escaped form for logs and test failures, e.g. <c>h1@3 -["a\n"] +["b\n"]</c>.</summary>
    public override string ToString() =>
        $"{Id}@{BaseStart} -[{string.Join(", ", RemovedLines.Select(Escape))}] +[{string.Join(", ", AddedLines.Select(Escape))}]";

    private static string Escape(string line) =>
        "\"" + line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
