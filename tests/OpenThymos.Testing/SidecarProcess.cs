// The one way the tests start the real sidecar as a child process: over stdio (raw frames in, every byte of stdout kept),
// and on its agent socket (JSON-RPC clients as agents or the operator), started directly or through `thymos serve`.
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Testing;

/// <summary>How a test wants the sidecar started and stopped.</summary>
public sealed record SidecarStart
{
    /// <summary>Arguments after <c>--workspace</c>, <c>--key-dir</c> and <c>--log-level</c>, such as <c>--stdio</c> or <c>--no-socket</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The sidecar's <c>--log-level</c>; null passes none (the sidecar's own default).</summary>
    public string? LogLevel { get; init; } = "info";

    /// <summary>Start it through <c>thymos serve</c> (the headless command) instead of running the sidecar binary itself.</summary>
    public bool ThroughThymosServe { get; init; }

    /// <summary>What <see cref="SidecarProcess.DisposeAsync"/> does to a sidecar still running.</summary>
    public SidecarStop Stop { get; init; } = SidecarStop.CloseInput;
}

/// <summary>How a sidecar still running at the end of a test is stopped.</summary>
public enum SidecarStop
{
    /// <summary>Close stdin, as the editor does; the sidecar exits and releases the ledger lock (killed after 20 s).</summary>
    CloseInput,

    /// <summary>Send SIGTERM, as Ctrl-C or a service manager does to <c>thymos serve</c> (killed after 20 s).</summary>
    Terminate,

    /// <summary>Kill it at once.</summary>
    Kill,
}

/// <summary>
/// Runs the sidecar (<c>OpenThymos.Server.dll</c>, or <c>$OPENTHYMOS_SIDECAR</c>; see <see cref="BuiltPrograms.Sidecar"/>)
/// as a separate process on a workspace and key directory. Its stdin stays open (so it keeps serving) until the test
/// closes it; stdout and stderr are collected from the start.
/// </summary>
public sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SidecarStop _stop;
    private readonly MemoryStream _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;
    private readonly List<IDisposable> _clients = [];

    private SidecarProcess(Process process, string workspace, string keyDirectory, SidecarStop stop)
    {
        _process = process;
        _stop = stop;
        Workspace = workspace;
        KeyDirectory = keyDirectory;
        _pumps = Task.WhenAll(Task.Run(PumpStdoutAsync), Task.Run(PumpStderrAsync));
    }

    /// <summary>How long a start, a connection, a call or a frame may take.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(60);

    public string Workspace { get; }

    public string KeyDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the sidecar's agent socket is, once <see cref="StartAsync"/> has seen it listen.</summary>
    public string SocketPath { get; private set; } = "";

    /// <summary>The operator token file's content, once <see cref="StartAsync"/> has seen it.</summary>
    public string OperatorToken { get; private set; } = "";

    /// <summary>Every byte the sidecar wrote to stdout so far (the editor connection's frames).</summary>
    public byte[] Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToArray();
            }
        }
    }

    /// <summary>Everything the sidecar logged to stderr so far.</summary>
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

    /// <summary>Starts the sidecar and returns at once, for tests that speak to it over stdio or watch it exit.</summary>
    public static SidecarProcess Start(string workspace, string keyDirectory, SidecarStart? options = null)
    {
        options ??= new SidecarStart();
        string[] logLevel = options.LogLevel is null ? [] : ["--log-level", options.LogLevel];
        var arguments = new[] { "--workspace", workspace, "--key-dir", keyDirectory }.Concat(logLevel).Concat(options.Arguments);
        var start = options.ThroughThymosServe ? BuiltPrograms.Thymos(["serve", .. arguments]) : BuiltPrograms.Sidecar(arguments);
        start.RedirectStandardInput = true;
        return new SidecarProcess(Process.Start(start)!, workspace, keyDirectory, options.Stop);
    }

    /// <summary>
    /// Starts the sidecar and waits until its agent socket and operator token exist. After a crash the dead sidecar's
    /// token file is still there: pass its token as <paramref name="previousToken"/> to wait for the new one, and then
    /// connect with <see cref="ConnectOperatorAsync"/>, which retries while the socket is not listening yet.
    /// </summary>
    public static async Task<SidecarProcess> StartAsync(string workspace, string keyDirectory, string? previousToken = null, SidecarStart? options = null)
    {
        var sidecar = Start(workspace, keyDirectory, options);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = Directory.Exists(keyDirectory) ? Directory.EnumerateFiles(keyDirectory, "agent.sock", SearchOption.AllDirectories).FirstOrDefault() : null;
            var token = socket is null ? null : Path.Combine(Path.GetDirectoryName(socket)!, "operator.token");
            var tokenText = socket is not null && File.Exists(token) ? ReadTokenOrEmpty(token) : "";
            if (tokenText.Length > 0 && tokenText != previousToken)
            {
                sidecar.SocketPath = socket!;
                sidecar.OperatorToken = tokenText;
                return sidecar;
            }
            if (sidecar.HasExited || clock.Elapsed > Timeout)
            {
                var log = sidecar.Stderr;
                await sidecar.DisposeAsync();
                throw new InvalidOperationException($"The sidecar did not open its agent socket within {Timeout.TotalSeconds} s. Its log:\n{log}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Sends one frame whose body is <paramref name="json"/> on stdin.</summary>
    public async Task SendAsync(string json)
    {
        await _process.StandardInput.BaseStream.WriteAsync(RawFrames.Frame(json));
        await _process.StandardInput.BaseStream.FlushAsync();
    }

    /// <summary>Waits until stdout holds the answer to request <paramref name="id"/>.</summary>
    public async Task<JsonDocument> WaitForFrameAsync(int id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var match = RawFrames.ParseAll(Stdout, out _).FirstOrDefault(f => RawFrames.IsAnswerTo(f.RootElement, id));
            if (match is not null)
            {
                return match;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no response {id}; stderr: {Stderr}");
    }

    /// <summary>Waits until the sidecar has logged a line holding <paramref name="text"/>; false when it exits or the time is up first.</summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            if (_pumps.IsCompleted)
            {
                return Stderr.Contains(text, StringComparison.Ordinal);
            }
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>Closes stdin, as the editor does when it lets go of the sidecar.</summary>
    public void CloseInput() => _process.StandardInput.Close();

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

    /// <summary>Waits until the process is gone (a killed sidecar still holds the ledger lock until then).</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync().WaitAsync(Timeout);

    /// <summary>Waits (up to 30 s) for the sidecar to exit and for its output to be read to the end; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        await _pumps.WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
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
    public async Task<RpcTestClient> ConnectAsync()
    {
        var socket = await ConnectRawAsync();
        var client = RpcTestClient.Over(new NetworkStream(socket, ownsSocket: true), Timeout);
        _clients.Add(client);
        return client;
    }

    /// <summary>A client with an agent session opened with <paramref name="token"/>.</summary>
    public async Task<RpcTestClient> ConnectAgentAsync(string token)
    {
        var client = await ConnectAsync();
        var opened = await client.CallAsync<OpenSessionResult>(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = token });
        return opened.Role == "agent" ? client : throw new InvalidOperationException($"session/open gave role '{opened.Role}'.");
    }

    /// <summary>A client with the operator session (the editor surface: review, writs, ledger).</summary>
    public async Task<RpcTestClient> ConnectOperatorAsync()
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

    /// <summary>Closes the clients, stops the sidecar as <see cref="SidecarStart.Stop"/> says, and releases the process.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (!_process.HasExited)
        {
            await StopAsync();
        }
        _process.Dispose();
    }

    private async Task StopAsync()
    {
        if (_stop == SidecarStop.Kill)
        {
            _process.Kill();
            _process.WaitForExit(5000);
            return;
        }

        if (_stop == SidecarStop.Terminate)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        else
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
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

    private async Task PumpStdoutAsync()
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await _process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
        {
            lock (_stdout)
            {
                _stdout.Write(buffer, 0, read);
            }
        }
    }

    private async Task PumpStderrAsync()
    {
        string? line;
        while ((line = await _process.StandardError.ReadLineAsync()) is not null)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }

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
}
