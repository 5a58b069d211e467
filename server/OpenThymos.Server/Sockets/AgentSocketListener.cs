// The agent socket: a Unix domain socket in the owner-only key directory, one JSON-RPC connection per client.
using System.Net.Sockets;
using OpenThymos.Server.Hosting;

namespace OpenThymos.Server.Sockets;

/// <summary>
/// Listens at <c>&lt;key-dir&gt;/&lt;workspaceId&gt;/agent.sock</c> by default (outside the workspace,
/// in a folder only the owner can enter). The socket file is chmod 0600 right after bind; a stale file
/// is removed at start only when nothing answers on it.
/// </summary>
public sealed class AgentSocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Sidecar _sidecar;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    private AgentSocketListener(Socket socket, Sidecar sidecar, string path)
    {
        _socket = socket;
        _sidecar = sidecar;
        Path = path;
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

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
            socket.Listen(64);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var listener = new AgentSocketListener(socket, sidecar, path);
        listener._accepting = Task.Run(listener.AcceptLoopAsync);
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

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            try
            {
                var stream = new NetworkStream(client, ownsSocket: true);
                var connection = _sidecar.Attach(stream, stream, isStdio: false);
                _ = connection.Completion.ContinueWith(_ => stream.Dispose(), TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                _sidecar.Log.Error("could not attach an agent connection.", exception);
                client.Dispose();
            }
        }
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
