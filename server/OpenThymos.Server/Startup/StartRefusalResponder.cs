// What a sidecar that cannot serve its folder tells the editor that started it, before it exits.
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;

namespace OpenThymos.Server.Startup;

/// <summary>
/// Why a sidecar refuses to serve its folder: the error <paramref name="Code"/> (from <see cref="ErrorCodes"/>), the
/// <paramref name="Message"/> the user reads (what happened, where, what to do next) and the <paramref name="Data"/> the
/// editor acts on (the folder, the command to offer).
/// </summary>
public sealed record StartRefusal(int Code, string Message, StartRefusedData Data);

/// <summary>
/// A sidecar started by the editor that cannot serve its folder (another window's sidecar holds the ledger; the ledger
/// was rolled back; the folder is a copy of another workspace) must not just exit: the editor would see a dropped
/// connection, say "sidecar exited" and restart it. Instead the editor's first request (its <c>initialize</c>) is
/// answered with the refusal's code, message and data, which the extension shows once and does not restart. Nothing
/// here opens the ledger or the runtime; it reads one LSP frame and writes one.
/// </summary>
public static class StartRefusalResponder
{
    /// <summary>The largest first message read; an <c>initialize</c> is a few kilobytes.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the first message on <paramref name="input"/> and, when it is a request,
    /// answers it with an error made of <paramref name="refusal"/>, then waits (within the same <paramref name="wait"/>)
    /// for the editor to close the input. Returns true when it answered.
    /// </summary>
    public static async Task<bool> AnswerFirstRequestAsync(Stream input, Stream output, StartRefusal refusal, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            var body = await ReadFirstBodyAsync(reader, timeout.Token);
            if (body is null)
            {
                return false;
            }
            using var request = JsonDocument.Parse(body);
            if (request.RootElement.ValueKind != JsonValueKind.Object
                || !request.RootElement.TryGetProperty("id", out var id)
                || id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
            {
                return false;
            }
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("jsonrpc", "2.0");
                json.WritePropertyName("id");
                id.WriteTo(json);
                json.WriteStartObject("error");
                json.WriteNumber("code", refusal.Code);
                json.WriteString("message", refusal.Message);
                json.WritePropertyName("data");
                JsonSerializer.Serialize(json, refusal.Data, ProtocolJsonContext.Default.StartRefusedData);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            await output.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {buffer.WrittenCount}\r\n\r\n"), timeout.Token);
            await output.WriteAsync(buffer.WrittenMemory, timeout.Token);
            await output.FlushAsync(timeout.Token);
            // Exiting now could close stdout before the editor has read the answer: its handling of the process exit
            // may run first and drop the pending initialize. Wait until it closes its end, as it does after a failed
            // initialize (or until the wait runs out).
            await WaitForInputEndAsync(reader, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or JsonException or ObjectDisposedException)
        {
            // No editor spoke in time, or it went away, or it did not speak JSON-RPC: the log line is the message.
            return false;
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static async Task WaitForInputEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The wait ran out or the input broke: either way there is nothing more to wait for.
        }
    }

    private static async Task<byte[]?> ReadFirstBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        long length = -1;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var sequence = new SequenceReader<byte>(buffer);
            if (length < 0 && sequence.TryReadTo(out ReadOnlySequence<byte> header, "\r\n\r\n"u8, advancePastDelimiter: true))
            {
                if (!FrameGuard.TryParseContentLength(Encoding.ASCII.GetString(header.ToArray()), out length) || length > MaxBodyBytes)
                {
                    return null;
                }
                reader.AdvanceTo(sequence.Position);
                continue;
            }
            if (length >= 0 && buffer.Length >= length)
            {
                var body = buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(buffer.GetPosition(length));
                return body;
            }
            if (result.IsCompleted || (length < 0 && buffer.Length > FrameGuard.MaxHeaderBytes))
            {
                return null;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
