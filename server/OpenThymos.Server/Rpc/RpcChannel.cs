// Builds a JSON-RPC connection with the protocol's framing, formatter, size cap and error mapping.
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Protocol;
using StreamJsonRpc;

namespace OpenThymos.Server.Rpc;

/// <summary>One framed JSON-RPC channel: the guard pumping its input and the <see cref="JsonRpc"/> over it.</summary>
public sealed class RpcChannel : IDisposable
{
    private readonly FrameGuard _guard;
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    private RpcChannel(FrameGuard guard, SidecarJsonRpc rpc, CoalescingStream output)
    {
        _guard = guard;
        Rpc = rpc;
        Output = output;
    }

    /// <summary>The connection.</summary>
    public SidecarJsonRpc Rpc { get; }

    /// <summary>The output stream every message is written through; hold it to send several in one write.</summary>
    public CoalescingStream Output { get; }

    /// <summary>When the last complete message was read from the input (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0: none yet).</summary>
    public long LastReceivedTimestamp => _guard.LastReceivedTimestamp;

    /// <summary>
    /// Creates the formatter every OpenThymos connection uses (also used by clients in tests and the CLI).
    /// User data (params, results, notifications) resolves only through the source-generated
    /// <see cref="ProtocolJsonContext"/>; StreamJsonRpc serializes its envelope with its own generated context.
    /// </summary>
    /// <remarks>
    /// The constructor is marked as not trimming- or AOT-safe because the formatter serializes whatever the resolver
    /// allows. With the resolver limited to <see cref="ProtocolJsonContext"/> no type is ever reflected over: a type
    /// missing from the context fails with a NotSupportedException instead of falling back to reflection, and
    /// the sidecar tests run against the Native AOT binary (OPENTHYMOS_SIDECAR) to prove every wire type is covered.
    /// This is the configuration StreamJsonRpc documents for NativeAOT (docs/nativeAOT.md, "UTF-8 JSON").
    /// </remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "User data resolves only through the source-generated ProtocolJsonContext; see remarks.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "User data resolves only through the source-generated ProtocolJsonContext; see remarks.")]
    public static SystemTextJsonFormatter CreateFormatter()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.TypeInfoResolver = ProtocolJsonContext.Default;
        return formatter;
    }

    /// <summary>Creates a channel reading <paramref name="input"/> through the guard and writing framed messages to <paramref name="output"/>.</summary>
    /// <param name="input">The client's messages.</param>
    /// <param name="output">Where messages to the client go.</param>
    /// <param name="maxMessageBytes">The largest message body accepted.</param>
    /// <param name="log">The sidecar log.</param>
    /// <param name="name">The connection's name in the log.</param>
    /// <param name="synchronousOutput">True when <paramref name="output"/> is stdout: see <see cref="CoalescingStream"/>.</param>
    public static RpcChannel Create(Stream input, Stream output, long maxMessageBytes, SidecarLog log, string name, bool synchronousOutput = false)
    {
        var guard = new FrameGuard(input, maxMessageBytes, log, name);
        var coalescing = new CoalescingStream(output, synchronousOutput);
        var handler = new HeaderDelimitedMessageHandler(PipeWriter.Create(coalescing), guard.Output, CreateFormatter());
        return new RpcChannel(guard, new SidecarJsonRpc(handler, log, name), coalescing);
    }

    /// <summary>Starts pumping input and listening.</summary>
    public void StartListening()
    {
        _pump = Task.Run(() => _guard.RunAsync(_stop.Token));
        Rpc.StartListening();
    }

    /// <summary>Stops the input pump and disposes the connection.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        Rpc.Dispose();
        // A blocking read of stdin cannot be cancelled; do not let it hold the process open.
        await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(1)));
    }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose() => _stop.Dispose();
}
