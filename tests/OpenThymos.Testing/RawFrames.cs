// Hand-made LSP frames for tests that talk to the sidecar below the JSON-RPC library: the writer the bad-input tests
// use and the parser that reads the sidecar's answers back.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenThymos.Testing;

/// <summary>Encodes Content-Length frames (any bytes as the body) and parses them from a byte buffer.</summary>
public static class RawFrames
{
    public static byte[] Frame(string json) => Frame(Encoding.UTF8.GetBytes(json));

    public static byte[] Frame(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    /// <summary>Every complete frame in the buffer; <paramref name="consumed"/> is where the first incomplete one starts.</summary>
    public static List<JsonDocument> ParseAll(byte[] buffer, out int consumed)
    {
        var frames = new List<JsonDocument>();
        consumed = 0;
        while (TryParse(buffer.AsSpan(consumed), out var body, out var length))
        {
            var (offset, bodyLength) = body.GetOffsetAndLength(length);
            frames.Add(JsonDocument.Parse(buffer.AsMemory(consumed + offset, bodyLength)));
            consumed += length;
        }
        return frames;
    }

    /// <summary>The first complete frame of the buffer, copied out, and how many bytes it took; false while it is incomplete.</summary>
    public static bool TryTake(ReadOnlySpan<byte> buffer, out JsonElement frame, out int length)
    {
        frame = default;
        if (!TryParse(buffer, out var body, out length))
        {
            return false;
        }
        using var document = JsonDocument.Parse(buffer[body].ToArray());
        frame = document.RootElement.Clone();
        return true;
    }

    /// <summary>Whether <paramref name="frame"/> is the answer to request <paramref name="id"/>.</summary>
    public static bool IsAnswerTo(JsonElement frame, int id) =>
        frame.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id;

    private static bool TryParse(ReadOnlySpan<byte> buffer, out Range body, out int length)
    {
        body = default;
        length = 0;
        var headerEnd = buffer.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }
        var header = Encoding.ASCII.GetString(buffer[..headerEnd]);
        var line = header.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var bodyLength = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        if (headerEnd + 4 + bodyLength > buffer.Length)
        {
            return false;
        }
        body = new Range(headerEnd + 4, headerEnd + 4 + bodyLength);
        length = headerEnd + 4 + bodyLength;
        return true;
    }
}
