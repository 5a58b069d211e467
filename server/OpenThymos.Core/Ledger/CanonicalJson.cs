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

    /// <summary>
    /// True when the bytes are exactly the canonical form of themselves, i.e. when
    /// <c>json.SequenceEqual(Canonicalize(json))</c>. Verify calls this for every entry, so it checks
    /// the bytes in one streaming pass instead of building the canonical form and comparing:
    /// tokens must follow each other with no whitespace, keys must be strictly increasing (sorted,
    /// no duplicates), numbers must be plain integers as <see cref="long"/> prints them, and strings
    /// may use only the canonical escapes. A test checks both definitions agree on many inputs.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return false;
        }

        try
        {
            return IsCanonicalUtf8(json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsCanonicalUtf8(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        // The last key seen in each open object, to check that keys are strictly increasing.
        var lastKeys = new Stack<string?>();
        long end = 0;
        while (reader.Read())
        {
            var start = reader.TokenStartIndex;
            var gap = start - end;
            if (gap != 0 && !(gap == 1 && json[(int)end] == (byte)','))
            {
                return false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    lastKeys.Push(null);
                    end = start + 1;
                    break;
                case JsonTokenType.EndObject:
                    lastKeys.Pop();
                    end = start + 1;
                    break;
                case JsonTokenType.StartArray:
                case JsonTokenType.EndArray:
                    end = start + 1;
                    break;
                case JsonTokenType.PropertyName:
                    var raw = reader.ValueSpan;
                    var key = reader.GetString()!;
                    var previous = lastKeys.Pop();
                    if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
                    {
                        return false;
                    }

                    lastKeys.Push(key);
                    // The name, its quotes, and the colon right after it: nothing in between.
                    var colon = start + raw.Length + 2;
                    if (!IsCanonicalStringBody(raw, reader.ValueIsEscaped) || colon >= json.Length || json[(int)colon] != (byte)':')
                    {
                        return false;
                    }

                    end = colon + 1;
                    break;
                case JsonTokenType.String:
                    if (!IsCanonicalStringBody(reader.ValueSpan, reader.ValueIsEscaped))
                    {
                        return false;
                    }

                    end = start + reader.ValueSpan.Length + 2;
                    break;
                case JsonTokenType.Number:
                    if (!reader.TryGetInt64(out var integer) || !IsCanonicalInteger(reader.ValueSpan, integer))
                    {
                        return false;
                    }

                    end = start + reader.ValueSpan.Length;
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                case JsonTokenType.Null:
                    end = start + reader.ValueSpan.Length;
                    break;
                default:
                    return false;
            }

            if (reader.CurrentDepth == 0 && reader.TokenType is not JsonTokenType.StartObject and not JsonTokenType.StartArray)
            {
                // The root value is complete; canonical bytes end right here.
                break;
            }
        }

        return end == json.Length && json.Length > 0;
    }

    private static bool IsCanonicalInteger(ReadOnlySpan<byte> raw, long value)
    {
        Span<byte> printed = stackalloc byte[20];
        return value.TryFormat(printed, out var written, default, CultureInfo.InvariantCulture) && raw.SequenceEqual(printed[..written]);
    }

    /// <summary>A string body (between its quotes) as written: only the escapes canonical JSON uses.</summary>
    private static bool IsCanonicalStringBody(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            // The reader already refused raw control characters and bare quotes; valid UTF-8 holds no surrogates.
            return true;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }

            var next = raw[++i];
            switch (next)
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    break;
                case (byte)'u':
                    // Only \u00xx (lowercase hex) for control characters without a short form.
                    if (i + 4 >= raw.Length || raw[i + 1] != (byte)'0' || raw[i + 2] != (byte)'0' || !IsLowerHex(raw[i + 3]) || !IsLowerHex(raw[i + 4]))
                    {
                        return false;
                    }

                    var code = (HexValue(raw[i + 3]) << 4) | HexValue(raw[i + 4]);
                    if (code >= 0x20 || code is 0x08 or 0x0C or 0x0A or 0x0D or 0x09)
                    {
                        return false;
                    }

                    i += 4;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool IsLowerHex(byte value) => value is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f';

    private static int HexValue(byte value) => value <= (byte)'9' ? value - '0' : value - 'a' + 10;

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
