// Lenient reads of a payload's JSON for the one-line summaries: a missing or mistyped field reads as null or zero.
using System.Text.Json;

namespace OpenThymos.Core.Entries;

/// <summary>
/// What a kind's summary reads: the payload's root element and the agent found so far. Summaries read
/// the JSON rather than the typed record, so that an entry whose payload does not match its record
/// still gets a line (or "payload unreadable") instead of an error.
/// </summary>
public sealed class EntrySummaryContext
{
    internal EntrySummaryContext(JsonElement root, string? agent)
    {
        Root = root;
        Agent = agent;
    }

    /// <summary>The payload's root element.</summary>
    public JsonElement Root { get; }

    /// <summary>The agent the entry concerns; a summary may fill it from the payload.</summary>
    public string? Agent { get; set; }

    /// <summary>The string field <paramref name="name"/> of <paramref name="element"/>, or null when it is absent or not a string.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The string field <paramref name="name"/> of the root.</summary>
    public string? Text(string name) => Text(Root, name);

    /// <summary>The length of the root's array field <paramref name="name"/>, or 0 when it is absent or not an array.</summary>
    public int Count(string name) => Root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0;
}
