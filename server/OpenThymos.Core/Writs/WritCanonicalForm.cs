// The exact bytes a writ's signature covers; hand-written so no serializer default can change them.
using System.Text;
using System.Text.Json;

namespace OpenThymos.Core.Writs;

/// <summary>
/// Encodes a writ as canonical UTF-8 JSON: keys sorted ordinally, no whitespace, arrays in the
/// given order, times as integer Unix milliseconds, effects as an ordinally sorted array of names,
/// and nulls written explicitly. Strings are escaped as in RFC 8785 (only '"', '\' and control
/// characters; everything else as raw UTF-8). docs/writs.md documents the form.
/// </summary>
public static class WritCanonicalForm
{
    // Ordinal order of the keys; Encode writes them in exactly this sequence and Decode expects it.
    internal static readonly string[] Keys =
        ["agent", "budget", "effects", "exclude", "expiresAt", "id", "include", "issuedAt", "issuer", "nonce", "parentId", "session", "workspaceId"];

    internal static readonly string[] BudgetKeys = ["maxBytes", "maxFiles", "maxProposals"];

    /// <summary>Encodes a writ in canonical form.</summary>
    /// <exception cref="ArgumentException">A string holds an unpaired surrogate, or effects hold unknown bits.</exception>
    public static byte[] Encode(Writ writ)
    {
        ArgumentNullException.ThrowIfNull(writ);
        if ((writ.Effects & ~Effects.All) != 0)
        {
            throw new ArgumentException($"Writ {writ.Id} has unknown effect bits.", nameof(writ));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            WriteString(json, "agent", writ.Agent);
            json.WriteStartObject("budget");
            WriteNumber(json, "maxBytes", writ.Budget.MaxBytes);
            WriteNumber(json, "maxFiles", writ.Budget.MaxFiles);
            WriteNumber(json, "maxProposals", writ.Budget.MaxProposals);
            json.WriteEndObject();
            WriteArray(json, "effects", EffectNames.Names(writ.Effects));
            WriteArray(json, "exclude", writ.Exclude);
            json.WriteNumber("expiresAt", writ.ExpiresAt.ToUnixTimeMilliseconds());
            WriteString(json, "id", writ.Id);
            WriteArray(json, "include", writ.Include);
            json.WriteNumber("issuedAt", writ.IssuedAt.ToUnixTimeMilliseconds());
            WriteString(json, "issuer", writ.Issuer);
            WriteString(json, "nonce", writ.Nonce);
            WriteString(json, "parentId", writ.ParentId);
            WriteString(json, "session", writ.Session);
            WriteString(json, "workspaceId", writ.WorkspaceId);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Decodes canonical bytes back into a writ. The bytes must be exactly canonical: decoding then
    /// re-encoding must give the same bytes, so one writ has one signed form.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a canonical writ; the message says why.</exception>
    public static Writ Decode(ReadOnlySpan<byte> canonical)
    {
        Writ writ;
        try
        {
            using var document = JsonDocument.Parse(canonical.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
            writ = FromElement(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The writ is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"The writ has a field of the wrong type: {e.Message}", e);
        }

        if (!canonical.SequenceEqual(Encode(writ)))
        {
            throw new FormatException($"Writ {writ.Id} is not in canonical form (key order, spacing, escaping or effect order differ); re-issue it.");
        }

        return writ;
    }

    private static Writ FromElement(JsonElement root)
    {
        RequireKeys(root, Keys, "writ");
        var budget = root.GetProperty("budget");
        RequireKeys(budget, BudgetKeys, "budget");
        var effects = Effects.None;
        foreach (var name in root.GetProperty("effects").EnumerateArray())
        {
            if (!EffectNames.TryParse(name.GetString() ?? string.Empty, out var effect))
            {
                throw new FormatException($"The writ lists an unknown effect '{name}'.");
            }

            effects |= effect;
        }

        return new Writ
        {
            Agent = Text(root, "agent"),
            Budget = new WritBudget(
                budget.GetProperty("maxProposals").ValueKind == JsonValueKind.Null ? null : budget.GetProperty("maxProposals").GetInt32(),
                budget.GetProperty("maxFiles").ValueKind == JsonValueKind.Null ? null : budget.GetProperty("maxFiles").GetInt32(),
                budget.GetProperty("maxBytes").ValueKind == JsonValueKind.Null ? null : budget.GetProperty("maxBytes").GetInt64()),
            Effects = effects,
            Exclude = Strings(root, "exclude"),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("expiresAt").GetInt64()),
            Id = Text(root, "id"),
            Include = Strings(root, "include"),
            IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("issuedAt").GetInt64()),
            Issuer = Text(root, "issuer"),
            Nonce = Text(root, "nonce"),
            ParentId = root.GetProperty("parentId").ValueKind == JsonValueKind.Null ? null : Text(root, "parentId"),
            Session = Text(root, "session"),
            WorkspaceId = Text(root, "workspaceId"),
        };
    }

    private static void RequireKeys(JsonElement element, string[] keys, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The {what} must be a JSON object.");
        }

        var present = element.EnumerateObject().Select(p => p.Name).ToList();
        if (!present.SequenceEqual(keys))
        {
            throw new FormatException($"The {what} must have exactly the keys {string.Join(", ", keys)} in that order, but has {string.Join(", ", present)}.");
        }
    }

    private static string Text(JsonElement root, string key) =>
        root.GetProperty(key).GetString() ?? throw new FormatException($"The writ's \"{key}\" must be a string.");

    private static string[] Strings(JsonElement root, string key) =>
        [.. root.GetProperty(key).EnumerateArray().Select(e => e.GetString() ?? throw new FormatException($"The writ's \"{key}\" must hold strings."))];

    private static void WriteNumber(Utf8JsonWriter json, string key, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(key, number);
        }
        else
        {
            json.WriteNull(key);
        }
    }

    private static void WriteString(Utf8JsonWriter json, string key, string? value)
    {
        json.WritePropertyName(key);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(Quote(value));
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string key, IReadOnlyList<string> values)
    {
        json.WriteStartArray(key);
        foreach (var value in values)
        {
            json.WriteRawValue(Quote(value));
        }

        json.WriteEndArray();
    }

    // RFC 8785 string form. The writer's own escaping is deliberately not used: its default encoder
    // escapes non-ASCII and HTML characters, and that choice is a library default, not a contract.
    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new ArgumentException("A writ string holds an unpaired surrogate, which has no UTF-8 form.", nameof(value));
            }

            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
