// One Markdown table of results: a title, what it checks, the goal, and rows of cells.
using System.Globalization;
using System.Text;

namespace OpenThymos.Bench.Harness;

/// <summary>A result table printed as Markdown; rows are added in the order they were measured.</summary>
internal sealed class ResultTable(string title, string goal, params string[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public string Title => title;

    public int RowCount => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"The table '{title}' has {columns.Length} columns; a row came with {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Adds a latency row: median, p95, p99, min, max in milliseconds, after the leading cells.</summary>
    public void AddLatency(string name, Samples samples, params string[] extra) =>
        Add([name, .. extra, Ms(samples.Median), Ms(samples.P95), Ms(samples.P99), Ms(samples.Min), Ms(samples.Max), samples.Count.ToString(CultureInfo.InvariantCulture)]);

    public void Note(string text) => _notes.Add(text);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### ").AppendLine(title).AppendLine();
        if (goal.Length > 0)
        {
            text.Append("Goal: ").AppendLine(goal).AppendLine();
        }

        text.Append("| ").Append(string.Join(" | ", columns)).AppendLine(" |");
        text.Append('|').Append(string.Concat(columns.Select(_ => " --- |"))).AppendLine();
        foreach (var row in _rows)
        {
            text.Append("| ").Append(string.Join(" | ", row)).AppendLine(" |");
        }

        foreach (var note in _notes)
        {
            text.AppendLine().AppendLine(note);
        }

        return text.ToString();
    }

    /// <summary>Milliseconds with three significant decimals for sub-millisecond values.</summary>
    public static string Ms(double milliseconds) =>
        milliseconds < 10 ? milliseconds.ToString("0.000", CultureInfo.InvariantCulture) : milliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A rate with thousands separators.</summary>
    public static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A ratio like 1.73×.</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>met / missed.</summary>
    public static string Verdict(bool met) => met ? "met" : "missed";
}
