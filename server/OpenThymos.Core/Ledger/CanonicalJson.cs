// Canonical JSON for ledger payloads: one byte form per value, written by hand.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// Canonical JSON as used for entry payloads (docs/ledger-format.md): objects with keys sorted by
/// ordinal UTF-16 order, no insignificant whitespace, integers only (no fractions or exponents),
/// strings escaping only <c>"</c>, <c>\</c> and control characters (<c>\b \f \n \r \t</c> short forms,
/// otherwise <c>\u00xx</c> lowercase), everything else as raw UTF-8. The hash covers these exact bytes,
/// so the encoding never depends on serializer defaults.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Rewrites any JSON text into its canonical bytes.</summary>
    /// <exception cref="FormatException">The bytes are not UTF-8, or the JSON holds a non-integer number, a duplicate key or a lone surrogate.</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new FormatException("Canonical JSON must be valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return Write(document.RootElement);
        }
        catch (InvalidOperationException exception)
        {
            // System.Text.Json reports an escaped lone surrogate this way.
            throw new FormatException($"The JSON cannot be canonicalized: {exception.Message}", exception);
        }
    }

    /// <summary>Writes a JSON node in canonical form.</summary>
    public static byte[] Write(JsonNode? node)
    {
        var json = node is null ? "null"u8.ToArray() : Encoding.UTF8.GetBytes(node.ToJsonString());
        return Canonicalize(json);
    }

    /// <summary>Writes a parsed JSON element in canonical form.</summary>
    public static byte[] Write(JsonElement element)
    {
        var builder = new StringBuilder();
        Append(builder, element);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>True when the bytes are exactly the canonical form of themselves.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> json)
    {
        try
        {
            return json.SequenceEqual(Canonicalize(json));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void Append(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().ToList();
                properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                builder.Append('{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        if (properties[i].Name == properties[i - 1].Name)
                        {
                            throw new FormatException($"Duplicate JSON key '{properties[i].Name}' cannot be canonicalized.");
                        }

                        builder.Append(',');
                    }

                    AppendString(builder, properties[i].Name);
                    builder.Append(':');
                    Append(builder, properties[i].Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    Append(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out var integer))
                {
                    throw new FormatException($"Canonical payloads hold integers only, not '{element.GetRawText()}'.");
                }

                builder.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    throw new FormatException("A lone UTF-16 surrogate cannot be written as canonical JSON.");
                }

                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                throw new FormatException("A lone UTF-16 surrogate cannot be written as canonical JSON.");
            }

            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
