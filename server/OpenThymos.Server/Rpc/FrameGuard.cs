// Sits between a raw input stream and the LSP-framed JSON-RPC reader: enforces the size cap and screens out malformed messages.
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Rpc;

/// <summary>
/// Re-frames the input so that StreamJsonRpc only ever sees well-formed JSON-RPC envelopes. Behaviour:
/// <list type="bullet">
/// <item>A message whose Content-Length exceeds the cap is never allocated: its body is streamed past
/// (only its first 64 KiB are kept, to find its <c>id</c>), the request is answered with
/// <see cref="ErrorCodes.MessageTooLarge"/>, and the connection stays open.</item>
/// <item>A body that is not a JSON-RPC 2.0 object (bad JSON, wrong id or params type, missing method)
/// is answered with <see cref="ErrorCodes.InvalidParams"/> when its id can be read, else dropped with a log line.</item>
/// <item>Broken framing (header section over 8 KiB, missing or invalid Content-Length) cannot be
/// resynchronized: it is logged and the connection is closed (for stdio this ends the process).</item>
/// </list>
/// Answers are produced by injecting a request for <see cref="RejectMethod"/> with the offending id, so
/// the reply goes through StreamJsonRpc's own writer and never interleaves with other output.
/// </summary>
public sealed class FrameGuard
{
    /// <summary>16 MiB.</summary>
    public const long DefaultMaxMessageBytes = 16L * 1024 * 1024;

    /// <summary>Internal method the guard injects to answer a screened-out request with an error.</summary>
    public const string RejectMethod = "$/openthymos/reject";

    /// <summary>Longest header section accepted.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    private const int SniffBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Stream _input;
    private readonly long _maxMessageBytes;
    private readonly SidecarLog _log;
    private readonly string _name;
    // The JSON-RPC reader continues inline when a screened message is flushed to it: the guard's read already ran on a
    // pool thread, and a second hop there (the default scheduler) only adds a thread-pool wake-up to every request.
    private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
    private long _lastReceived;

    /// <summary>Creates a guard over <paramref name="input"/>; call <see cref="RunAsync"/> to start pumping.</summary>
    public FrameGuard(Stream input, long maxMessageBytes, SidecarLog log, string name)
    {
        _input = input;
        _maxMessageBytes = maxMessageBytes;
        _log = log;
        _name = name;
    }

    /// <summary>When the last complete message body was read (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0: none yet).</summary>
    public long LastReceivedTimestamp => Volatile.Read(ref _lastReceived);

    /// <summary>The screened, re-framed input for the message handler.</summary>
    public PipeReader Output => _pipe.Reader;

    /// <summary>Pumps until the input ends or framing breaks; then completes <see cref="Output"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_input, new StreamPipeReaderOptions(leaveOpen: true));
        Exception? failure = null;
        try
        {
            while (await PumpOneAsync(reader, cancellationToken))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException exception)
        {
            _log.Debug($"{_name}: input closed ({exception.Message}).");
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception exception)
        {
            failure = exception;
            _log.Error($"{_name}: input guard failed.", exception);
        }
        finally
        {
            await reader.CompleteAsync();
            await _pipe.Writer.CompleteAsync(failure);
        }
    }

    private async Task<bool> PumpOneAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        // Headers.
        long contentLength;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var end = IndexOf(buffer, HeaderEnd);
            if (end >= 0)
            {
                var headerText = Encoding.ASCII.GetString(buffer.Slice(0, end).ToArray());
                reader.AdvanceTo(buffer.GetPosition(end + HeaderEnd.Length));
                if (!TryParseContentLength(headerText, out contentLength))
                {
                    _log.Warn($"{_name}: closing the connection: a message header has no valid Content-Length ({Shorten(headerText)}).");
                    return false;
                }
                break;
            }
            if (buffer.Length > MaxHeaderBytes)
            {
                _log.Warn($"{_name}: closing the connection: a message header is longer than {MaxHeaderBytes} bytes (not LSP framing).");
                return false;
            }
            if (result.IsCompleted)
            {
                if (buffer.Length > 0)
                {
                    _log.Warn($"{_name}: input ended inside a message header; {buffer.Length} bytes dropped.");
                }
                return false;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        if (contentLength > _maxMessageBytes)
        {
            return await SkipOversizedAsync(reader, contentLength, cancellationToken);
        }

        // Body.
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= contentLength)
            {
                Volatile.Write(ref _lastReceived, System.Diagnostics.Stopwatch.GetTimestamp());
                var body = buffer.Slice(0, contentLength);
                var verdict = Screen(body.IsSingleSegment ? body.FirstSpan : body.ToArray(), isFinal: true);
                if (verdict.Problem is null)
                {
                    await ForwardAsync(body, cancellationToken);
                }
                else
                {
                    await RejectAsync(verdict.Id, verdict.Method, ErrorCodes.InvalidParams, "The message is not a valid JSON-RPC 2.0 request: " + verdict.Problem, cancellationToken);
                }
                reader.AdvanceTo(body.End);
                return true;
            }
            if (result.IsCompleted)
            {
                _log.Warn($"{_name}: input ended inside a message body ({buffer.Length} of {contentLength} bytes); dropped.");
                return false;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task<bool> SkipOversizedAsync(PipeReader reader, long contentLength, CancellationToken cancellationToken)
    {
        var sniff = new ArrayBufferWriter<byte>(SniffBytes);
        var remaining = contentLength;
        while (remaining > 0)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var take = Math.Min(remaining, buffer.Length);
            var chunk = buffer.Slice(0, take);
            if (sniff.WrittenCount < SniffBytes)
            {
                var keep = chunk.Slice(0, Math.Min(chunk.Length, SniffBytes - sniff.WrittenCount));
                foreach (var segment in keep)
                {
                    sniff.Write(segment.Span);
                }
            }
            remaining -= take;
            reader.AdvanceTo(chunk.End);
            if (remaining > 0 && result.IsCompleted)
            {
                _log.Warn($"{_name}: input ended inside an oversized message ({contentLength} bytes declared).");
                return false;
            }
        }
        var sniffed = Screen(sniff.WrittenSpan, isFinal: false);
        await RejectAsync(sniffed.Id, sniffed.Method, ErrorCodes.MessageTooLarge,
            $"The message is {contentLength} bytes; the limit is {_maxMessageBytes} bytes (--max-message-bytes). Send smaller changes or raise the limit.",
            cancellationToken);
        return true;
    }

    private async Task ForwardAsync(ReadOnlySequence<byte> body, CancellationToken cancellationToken)
    {
        var writer = _pipe.Writer;
        writer.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        foreach (var segment in body)
        {
            writer.Write(segment.Span);
        }
        await writer.FlushAsync(cancellationToken);
    }

    private async Task RejectAsync(string? idJson, string? method, int code, string message, CancellationToken cancellationToken)
    {
        if (idJson is null)
        {
            // JSON-RPC would answer with a null id, which no client can match to a request; the log is the record.
            _log.Warn($"{_name}: dropped a message without a usable id: {message}");
            return;
        }
        _log.Warn($"{_name}: answering request {idJson} with error {code}: {message}");
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WritePropertyName("id");
            json.WriteRawValue(idJson);
            json.WriteString("method", RejectMethod);
            json.WriteStartObject("params");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            // The screened request's own method, when it could be read: a refused submission is ledgered.
            json.WriteString("requestMethod", method);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await ForwardAsync(new ReadOnlySequence<byte>(stream.ToArray()), cancellationToken);
    }

    /// <summary>What screening found: the id (raw JSON, when usable), the method (when read) and the problem (null when the envelope is fine).</summary>
    internal readonly record struct Verdict(string? Id, string? Method, string? Problem);

    /// <summary>Checks the JSON-RPC 2.0 envelope: an object with jsonrpc "2.0", an integer or string id, a string method, object or array params.</summary>
    internal static Verdict Screen(ReadOnlySpan<byte> body, bool isFinal)
    {
        string? id = null;
        string? method = null;
        try
        {
            var json = new Utf8JsonReader(body, isFinal, default);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return new(null, method, "the body is not a JSON object");
            }
            bool hasVersion = false, hasMethod = false, hasResult = false, hasId = false;
            while (json.Read())
            {
                if (json.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                var name = json.GetString();
                if (!json.Read())
                {
                    return new(id, method, "the body ends early");
                }
                switch (name)
                {
                    case "jsonrpc":
                        hasVersion = json.TokenType == JsonTokenType.String && json.ValueTextEquals("2.0");
                        if (!hasVersion)
                        {
                            return new(id, method, "\"jsonrpc\" must be \"2.0\"");
                        }
                        break;
                    case "id":
                        if (json.TokenType == JsonTokenType.Number && json.TryGetInt64(out var number))
                        {
                            id = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                            hasId = true;
                        }
                        else if (json.TokenType == JsonTokenType.String)
                        {
                            id = JsonSerializer.Serialize(json.GetString(), ProtocolJsonContext.Default.String);
                            hasId = true;
                        }
                        else if (json.TokenType != JsonTokenType.Null)
                        {
                            return new(null, method, "\"id\" must be an integer or a string");
                        }
                        break;
                    case "method":
                        method = json.TokenType == JsonTokenType.String ? json.GetString() : null;
                        hasMethod = method is { Length: > 0 };
                        if (!hasMethod)
                        {
                            return new(id, method, "\"method\" must be a non-empty string");
                        }
                        break;
                    case "params":
                        if (json.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.Null))
                        {
                            return new(id, method, "\"params\" must be an object or an array");
                        }
                        if (!json.TrySkip())
                        {
                            return new(id, method, "the body ends early");
                        }
                        break;
                    case "result":
                    case "error":
                        hasResult = true;
                        if (!json.TrySkip())
                        {
                            return new(id, method, "the body ends early");
                        }
                        break;
                    default:
                        if (!json.TrySkip())
                        {
                            return new(id, method, "the body ends early");
                        }
                        break;
                }
            }
            if (!isFinal)
            {
                return new(id, method, null);
            }
            if (json.TokenType != JsonTokenType.EndObject || json.Read())
            {
                return new(id, method, "trailing data after the JSON object");
            }
            if (!hasVersion)
            {
                return new(id, method, "\"jsonrpc\": \"2.0\" is missing");
            }
            if (!hasMethod && !(hasResult && hasId))
            {
                return new(id, method, "\"method\" is missing");
            }
            return new(id, method, null);
        }
        catch (JsonException exception)
        {
            return new(id, method, "the body is not valid JSON (" + exception.Message + ")");
        }
        catch (InvalidOperationException exception)
        {
            return new(id, method, "the body is not valid JSON (" + exception.Message + ")");
        }
    }

    /// <summary>The Content-Length of an LSP header section (its text without the final blank line); false when missing or invalid.</summary>
    internal static bool TryParseContentLength(string headers, out long length)
    {
        length = -1;
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                var value = line[(colon + 1)..].Trim();
                if (value.Length is 0 or > 19 || !value.All(char.IsAsciiDigit) || !long.TryParse(value, out length))
                {
                    length = -1;
                    return false;
                }
            }
        }
        return length >= 0;
    }

    private static long IndexOf(ReadOnlySequence<byte> buffer, byte[] needle)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, needle, advancePastDelimiter: false) ? before.Length : -1;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
