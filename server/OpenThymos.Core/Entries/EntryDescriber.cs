// Entry summaries as facts about entries: the one copy the server's timeline and the CLI's log both read.
using System.Text.Json;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Entries;

/// <summary>
/// Describes an entry for people: a one-line summary from its kind's descriptor, the proposal and
/// paths its payload names, and the agent it concerns. Never throws for a payload it cannot read: the
/// summary then says so.
/// </summary>
public static class EntryDescriber
{
    /// <summary>Describes <paramref name="entry"/>.</summary>
    public static EntryDescription Describe(LedgerEntry entry)
    {
        string summary;
        string? proposalId = null;
        string? agent = entry.Actor.StartsWith("agent:", StringComparison.Ordinal) ? entry.Actor["agent:".Length..] : null;
        var paths = new List<string>();
        EntrySummaryContext? context = null;
        try
        {
            using var document = JsonDocument.Parse(entry.Payload);
            var root = document.RootElement;
            proposalId = EntrySummaryContext.Text(root, "proposalId");
            agent ??= EntrySummaryContext.Text(root, "agent");
            if (EntryKindRegistry.Find(entry.Kind) is { Summarize: { } summarize } descriptor)
            {
                AddPaths(root, descriptor.SummaryPaths, paths);
                context = new EntrySummaryContext(root, agent);
                summary = summarize(context);
            }
            else
            {
                summary = entry.Kind;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            summary = $"{entry.Kind} (payload unreadable)";
        }

        // A summary may have found the agent before it failed on a later field; it is kept either way.
        agent = context?.Agent ?? agent;
        return new EntryDescription(summary, proposalId, [.. paths.Distinct(StringComparer.Ordinal)], agent);
    }

    /// <summary>Adds the paths the field names: <c>list[]</c> of strings or of records with path (and fromPath), or one string field.</summary>
    private static void AddPaths(JsonElement root, string? field, List<string> paths)
    {
        if (field is null)
        {
            return;
        }

        if (!field.EndsWith("[]", StringComparison.Ordinal))
        {
            if (EntrySummaryContext.Text(root, field) is { } single)
            {
                paths.Add(single);
            }

            return;
        }

        if (root.TryGetProperty(field[..^2], out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    paths.Add(item.GetString()!);
                }
                else if (EntrySummaryContext.Text(item, "path") is { } path)
                {
                    if (EntrySummaryContext.Text(item, "fromPath") is { } from)
                    {
                        paths.Add(from);
                    }

                    paths.Add(path);
                }
            }
        }
    }
}
