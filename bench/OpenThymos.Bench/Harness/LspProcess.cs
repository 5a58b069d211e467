// A child process spoken to with LSP framing over its stdio: enough JSON-RPC to time initialize and read memory.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenThymos.Bench.Harness;

/// <summary>
/// Starts a server process (the sidecar or the Node anchor) and exchanges framed JSON-RPC requests
/// with it. It is deliberately minimal so that what is timed is the server, not a client library.
/// </summary>
internal sealed class LspProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Task<string> _errors;
    private int _nextId;

    private LspProcess(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    public static LspProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new LspProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{fileName}'."));
    }

    /// <summary>Sends a request and waits for its response; notifications in between are skipped.</summary>
    public JsonNode? Request(string method, JsonNode? parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        Send(message);
        while (true)
        {
            var response = Receive();
            if (response["id"]?.GetValue<int>() != id)
            {
                continue;
            }

            if (response["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return response["result"];
        }
    }

    public void Notify(string method, JsonNode? parameters) =>
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>Peak resident set size (VmHWM) of the process in MiB, from /proc.</summary>
    public double PeakResidentMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>shutdown + exit, then waits for the process; kills it if it does not leave in time.</summary>
    public void Stop()
    {
        try
        {
            Request("shutdown", null);
            Notify("exit", null);
        }
        catch (IOException)
        {
            // Already gone; the wait below tells.
        }

        if (!_process.WaitForExit(15000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        _input.Write(header);
        _input.Write(body);
        _input.Flush();
    }

    private JsonObject Receive()
    {
        var length = -1;
        while (true)
        {
            var line = ReadHeaderLine();
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        if (length < 0)
        {
            throw new InvalidDataException("The server sent a frame without Content-Length.");
        }

        var body = new byte[length];
        _output.ReadExactly(body);
        return JsonNode.Parse(body)?.AsObject() ?? throw new InvalidDataException("The server sent an empty frame.");
    }

    private string ReadHeaderLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var value = _output.ReadByte();
            if (value < 0)
            {
                _process.WaitForExit(5000);
                var errors = _errors.IsCompleted ? _errors.Result.Trim() : "(stderr still open)";
                throw new IOException($"The server closed its stdout (exit code {(_process.HasExited ? _process.ExitCode : -1)}): {errors}");
            }

            if (value == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
            }

            bytes.Add((byte)value);
        }
    }

    /// <summary>The LSP initialize params every run sends.</summary>
    public static JsonNode InitializeParams() => new JsonObject
    {
        ["processId"] = Environment.ProcessId,
        ["rootUri"] = null,
        ["capabilities"] = new JsonObject(),
        ["clientInfo"] = new JsonObject { ["name"] = "openthymos-bench", ["version"] = "1" },
    };
}
