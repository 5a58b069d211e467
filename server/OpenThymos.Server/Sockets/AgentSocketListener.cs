// The agent socket: a Unix domain socket in the owner-only key directory, one JSON-RPC connection per client.
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Sockets;

/// <summary>
/// Listens at <c>&lt;key-dir&gt;/&lt;workspaceId&gt;/agent.sock</c> by default (outside the workspace,
/// in a folder only the owner can enter). The socket file is chmod 0600 right after bind; a stale file
/// is removed at start only when nothing answers on it. Connections are admitted up to
/// <see cref="AgentConnectionLimit"/>'s caps; a refused client gets one JSON-RPC error (code
/// <see cref="ErrorCodes.TooManyConnections"/>, <c>id: null</c>) and is closed.
/// </summary>
public sealed class AgentSocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Sidecar _sidecar;
    private readonly CancellationTokenSource _stop = new();
    private readonly AgentConnectionLimit _limit = new();
    private Task _accepting = Task.CompletedTask;
    private long _refused;

    private AgentSocketListener(Socket socket, Sidecar sidecar, string path)
    {
        _socket = socket;
        _sidecar = sidecar;
        Path = path;
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>Agent connections open now.</summary>
    public int OpenConnections => _limit.Open;

    /// <summary>The default socket path for a workspace.</summary>
    public static string DefaultPath(string keyDirectory, string workspaceId) =>
        System.IO.Path.Combine(keyDirectory, workspaceId, "agent.sock");

    /// <summary>Binds and starts accepting.</summary>
    /// <exception cref="IOException">Another process answers on the socket, or it cannot be bound.</exception>
    public static AgentSocketListener Start(string path, Sidecar sidecar)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (File.Exists(path))
        {
            if (Answers(path))
            {
                throw new IOException($"Another process is serving the agent socket '{path}'. Stop that sidecar first.");
            }
            File.Delete(path);
            sidecar.Log.Info($"removed a stale agent socket at {path}.");
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // A deep backlog: a client flooding the socket with connects fills it between two accepts, and
            // every other client's connect fails with EAGAIN while it is full.
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var listener = new AgentSocketListener(socket, sidecar, path);
        // Its own thread, blocking in accept: a client flooding the socket keeps the accept queue full, and an async
        // loop whose every accept completes at once would then hold a thread-pool worker for good.
        listener._accepting = Task.Factory.StartNew(listener.AcceptLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        sidecar.Log.Info($"agent socket listening at {path}.");
        return listener;
    }

    private static bool Answers(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = _socket.Accept();
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var peer = PeerCredentials.Of(client);
            var refusal = _limit.TryAdmit(peer?.ProcessId);
            if (refusal is not null)
            {
                Refuse(client, refusal);
                continue;
            }
            try
            {
                var stream = new NetworkStream(client, ownsSocket: true);
                var connection = _sidecar.Attach(stream, stream, isStdio: false);
                _ = connection.Completion.ContinueWith(_ =>
                {
                    stream.Dispose();
                    _limit.Release(peer?.ProcessId);
                }, TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                _sidecar.Log.Error("could not attach an agent connection.", exception);
                _limit.Release(peer?.ProcessId);
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Tells a refused client why in one framed JSON-RPC error, then closes it. The frame is a few hundred
    /// bytes into a fresh socket's empty send buffer, so the send does not wait on the client; a client
    /// that is already gone is simply closed.
    /// </summary>
    private void Refuse(Socket client, string message)
    {
        var refused = Interlocked.Increment(ref _refused);
        if (refused == 1 || refused % 1000 == 0)
        {
            _sidecar.Log.Warn($"{message} ({refused.ToString(CultureInfo.InvariantCulture)} agent connections refused so far.)");
        }
        try
        {
            client.SendTimeout = 1000;
            client.Send(RefusalFrame(message));
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static byte[] RefusalFrame(string message)
    {
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteNull("id");
            json.WriteStartObject("error");
            json.WriteNumber("code", ErrorCodes.TooManyConnections);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
        return [.. header, .. body.ToArray()];
    }

    /// <summary>Stops accepting and removes the socket file.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}
