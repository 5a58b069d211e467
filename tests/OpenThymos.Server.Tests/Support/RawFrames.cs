// Hand-made LSP frames for tests that talk to the sidecar below the JSON-RPC library.
using System.Text;
using System.Text.Json;

namespace OpenThymos.Server.Tests.Support;

/// <summary>Encodes Content-Length frames and parses them from a byte buffer.</summary>
public static class RawFrames
{
    public static byte[] Frame(string json) => Frame(Encoding.UTF8.GetBytes(json));

    public static byte[] Frame(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    /// <summary>Every complete frame in the buffer; throws when the buffer holds anything else.</summary>
    public static List<JsonDocument> ParseAll(byte[] buffer, out int consumed)
    {
        var frames = new List<JsonDocument>();
        consumed = 0;
        while (consumed < buffer.Length)
        {
            var headerEnd = IndexOf(buffer, consumed, "\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                break;
            }
            var header = Encoding.ASCII.GetString(buffer, consumed, headerEnd - consumed);
            var line = header.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.Ordinal));
            var length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (headerEnd + 4 + length > buffer.Length)
            {
                break;
            }
            frames.Add(JsonDocument.Parse(buffer.AsMemory(headerEnd + 4, length)));
            consumed = headerEnd + 4 + length;
        }
        return frames;
    }

    private static int IndexOf(byte[] buffer, int start, ReadOnlySpan<byte> needle)
    {
        var at = buffer.AsSpan(start).IndexOf(needle);
        return at < 0 ? -1 : start + at;
    }
}
