// A connection to the sidecar below JSON-RPC, over the agent socket or an in-process stream: hand-made frames in,
// parsed frames out.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenThymos.Testing;

/// <summary>Writes Content-Length frames (any bytes) and reads the sidecar's frames: answers by id, or the next that matches.</summary>
public sealed class RawConnection
{
    private readonly Stream _stream;
    private readonly Socket? _socket;
    private readonly List<byte> _received = [];

    /// <summary>A connection over a connected socket (the agent socket); the socket stays the caller's.</summary>
    public RawConnection(Socket socket, TimeSpan? timeout = null)
        : this(new NetworkStream(socket, ownsSocket: false), timeout) => _socket = socket;

    /// <summary>A connection over a stream (one end of an in-process stream pair).</summary>
    public RawConnection(Stream stream, TimeSpan? timeout = null)
    {
        _stream = stream;
        Timeout = timeout ?? SidecarProcess.Timeout;
    }

    /// <summary>How long a read waits for a frame.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The socket, for tests that send on it directly (with their own deadline).</summary>
    public Socket Socket => _socket ?? throw new InvalidOperationException("This raw connection is over a stream, not a socket.");

    public static byte[] Frame(byte[] body) => RawFrames.Frame(body);

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one frame whose body is <paramref name="json"/>.</summary>
    public Task SendFrameAsync(string json) => SendAsync(RawFrames.Frame(json));

    /// <summary>Sends one frame whose body is <paramref name="body"/>, any bytes.</summary>
    public Task SendFrameAsync(byte[] body) => SendAsync(RawFrames.Frame(body));

    /// <summary>Sends a frame whose body is <paramref name="prefix"/>, the raw <paramref name="raw"/> bytes, then <paramref name="suffix"/>.</summary>
    public Task SendFrameAsync(string prefix, byte[] raw, string suffix) =>
        SendAsync(RawFrames.Frame([.. Encoding.UTF8.GetBytes(prefix), .. raw, .. Encoding.UTF8.GetBytes(suffix)]));

    /// <summary>Waits for the answer to request <paramref name="id"/>; frames before it are skipped.</summary>
    public Task<JsonElement> AnswerAsync(int id) => NextAsync(frame => RawFrames.IsAnswerTo(frame, id), $"the answer to request {id}");

    /// <summary>Waits for the next <paramref name="count"/> frames, in the order they arrive.</summary>
    public async Task<List<JsonElement>> FramesAsync(int count)
    {
        var frames = new List<JsonElement>();
        while (frames.Count < count)
        {
            frames.Add(await NextAsync(_ => true, $"frame {frames.Count + 1} of {count}"));
        }
        return frames;
    }

    /// <summary>Waits for the next frame that matches <paramref name="match"/>; frames before it are skipped.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string? what = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[65536];
        while (true)
        {
            while (RawFrames.TryTake(_received.ToArray(), out var frame, out var length))
            {
                _received.RemoveRange(0, length);
                if (match(frame))
                {
                    return frame;
                }
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The sidecar sent no {what ?? "matching frame"} within {Timeout.TotalSeconds} s.");
            }
            if (read == 0)
            {
                throw new IOException($"The sidecar closed the connection before sending {what ?? "a matching frame"}.");
            }
            _received.AddRange(buffer.AsSpan(0, read));
        }
    }
}
