// A connection to the agent socket below JSON-RPC: hand-made frames in, parsed frames out.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>Writes Content-Length frames (any bytes) and reads the sidecar's answers by id.</summary>
public sealed class RawConnection(Socket socket)
{
    private readonly List<byte> _received = [];

    public Socket Socket { get; } = socket;

    public static byte[] Frame(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    public async Task SendAsync(byte[] bytes) => await Socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Sends a frame whose body is <paramref name="prefix"/>, the raw <paramref name="raw"/> bytes, then <paramref name="suffix"/>.</summary>
    public Task SendFrameAsync(string prefix, byte[] raw, string suffix) =>
        SendAsync(Frame([.. Encoding.UTF8.GetBytes(prefix), .. raw, .. Encoding.UTF8.GetBytes(suffix)]));

    /// <summary>Waits for the answer to request <paramref name="id"/>; notifications before it are skipped.</summary>
    public async Task<JsonElement> AnswerAsync(int id)
    {
        using var timeout = new CancellationTokenSource(SidecarChild.Timeout);
        var buffer = new byte[65536];
        while (true)
        {
            while (TryTakeFrame(out var frame))
            {
                if (frame.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
                {
                    return frame;
                }
            }
            var read = await Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"The sidecar closed the connection before answering request {id}.");
            }
            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private bool TryTakeFrame(out JsonElement frame)
    {
        frame = default;
        var bytes = _received.ToArray();
        var headerEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }
        var header = Encoding.ASCII.GetString(bytes, 0, headerEnd);
        var length = int.Parse(header.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (bytes.Length < headerEnd + 4 + length)
        {
            return false;
        }
        using (var document = JsonDocument.Parse(bytes.AsMemory(headerEnd + 4, length)))
        {
            frame = document.RootElement.Clone();
        }
        _received.RemoveRange(0, headerEnd + 4 + length);
        return true;
    }
}
