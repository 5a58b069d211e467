// The real sidecar binary as a child process on a temp workspace, with clients over its real agent socket.
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Rpc;
using StreamJsonRpc;

namespace OpenThymos.Reliability.Tests.Support;

/// <summary>
/// Runs the sidecar (<c>OpenThymos.Server.dll</c>, or <c>$OPENTHYMOS_SIDECAR</c>) as a separate process (its stdin is held open so it keeps serving) and
/// connects agents and an operator over the Unix socket it opens in the key directory.
/// </summary>
public sealed class SidecarChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<IDisposable> _clients = [];

    private SidecarChild(Process process, string workspace, string keyDirectory)
    {
        _process = process;
        Workspace = workspace;
        KeyDirectory = keyDirectory;
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        // Stdout carries the (unused) editor connection's frames; drain it so the sidecar never blocks on it.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    }

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(60);

    public string Workspace { get; }

    public string KeyDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the sidecar's agent socket is, once it listens.</summary>
    public string SocketPath { get; private set; } = "";

    /// <summary>The operator token file's content.</summary>
    public string OperatorToken { get; private set; } = "";

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the sidecar binary and waits until its socket and operator token exist. After a crash the
    /// dead sidecar's token file is still there: pass its token as <paramref name="previousToken"/> to wait
    /// for the new one, and then connect with <see cref="ConnectOperatorAsync"/>, which retries while the
    /// socket is not listening yet.
    /// </summary>
    public static async Task<SidecarChild> StartAsync(string workspace, string keyDirectory, string? previousToken = null)
    {
        var child = new SidecarChild(Process.Start(StartInfo(workspace, keyDirectory))!, workspace, keyDirectory);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = Directory.Exists(keyDirectory) ? Directory.EnumerateFiles(keyDirectory, "agent.sock", SearchOption.AllDirectories).FirstOrDefault() : null;
            var token = socket is null ? null : Path.Combine(Path.GetDirectoryName(socket)!, "operator.token");
            var tokenText = socket is not null && File.Exists(token) ? ReadTokenOrEmpty(token) : "";
            if (tokenText.Length > 0 && tokenText != previousToken)
            {
                child.SocketPath = socket!;
                child.OperatorToken = tokenText;
                return child;
            }
            if (child.HasExited || clock.Elapsed > Timeout)
            {
                var log = child.Stderr;
                await child.DisposeAsync();
                throw new InvalidOperationException($"The sidecar did not open its agent socket within {Timeout.TotalSeconds} s. Its log:\n{log}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the sidecar with SIGKILL: no handler, no flush, no clean-up runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
    }

    /// <summary>Waits until the killed process is gone (it still holds the ledger lock until then).</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync().WaitAsync(Timeout);

    private static string ReadTokenOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>
    /// A start info for the sidecar binary next to this test assembly, or for the published one that
    /// <c>OPENTHYMOS_SIDECAR</c> names (npm test sets it to the Native AOT build in dist/sidecar, the binary users run).
    /// </summary>
    public static ProcessStartInfo StartInfo(string workspace, string keyDirectory)
    {
        var chosen = Environment.GetEnvironmentVariable("OPENTHYMOS_SIDECAR");
        var native = chosen is { Length: > 0 } && !chosen.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(native ? chosen! : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var program = native ? [] : new[] { chosen is { Length: > 0 } ? chosen : Path.Combine(AppContext.BaseDirectory, "OpenThymos.Server.dll") };
        foreach (var arg in program.Concat(["--workspace", workspace, "--key-dir", keyDirectory, "--log-level", "info"]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("OPENTHYMOS_KEY_DIR");
        return start;
    }

    /// <summary>A raw connected socket to the agent socket (for tests below JSON-RPC).</summary>
    public async Task<Socket> ConnectRawAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // A blocking connect, as a well-behaved client makes it: while another client floods the socket and its
                // accept queue is full, it waits in the kernel for room (up to the send timeout) instead of failing
                // with EAGAIN at once, and is woken at each accept (ConnectionFloodTests).
                socket.SendTimeout = 5000;
                await Task.Run(() => socket.Connect(new UnixDomainSocketEndPoint(SocketPath)));
                _clients.Add(socket);
                return socket;
            }
            catch (SocketException) when (clock.Elapsed < Timeout && !HasExited)
            {
                // The token file is written just before the listener replaces a crashed sidecar's socket file.
                socket.Dispose();
                await Task.Delay(20);
            }
        }
    }

    /// <summary>A JSON-RPC client over the agent socket, with no session yet.</summary>
    public async Task<RpcClient> ConnectAsync()
    {
        var socket = await ConnectRawAsync();
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, RpcChannel.CreateFormatter()));
        var client = new RpcClient(rpc);
        rpc.StartListening();
        _clients.Add(rpc);
        return client;
    }

    /// <summary>A client with an agent session opened with <paramref name="token"/>.</summary>
    public async Task<RpcClient> ConnectAgentAsync(string token)
    {
        var client = await ConnectAsync();
        var opened = await client.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = token });
        return opened.Role == "agent" ? client : throw new InvalidOperationException($"session/open gave role '{opened.Role}'.");
    }

    /// <summary>A client with the operator session (the editor surface: review, writs, ledger).</summary>
    public async Task<RpcClient> ConnectOperatorAsync()
    {
        var client = await ConnectAsync();
        var opened = await client.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = OperatorToken });
        return opened.Role == "operator" ? client : throw new InvalidOperationException($"session/open gave role '{opened.Role}'.");
    }

    /// <summary>The sidecar's resident set size in KiB, from /proc.</summary>
    public long ResidentKilobytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (!_process.HasExited)
        {
            // Closing stdin ends the editor connection; the sidecar then exits and releases the ledger lock.
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
