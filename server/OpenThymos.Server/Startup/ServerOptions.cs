// Command-line options of the sidecar process.
using OpenThymos.Server.Diagnostics;
using OpenThymos.Server.Rpc;

namespace OpenThymos.Server.Startup;

/// <summary>What the sidecar was started with.</summary>
public sealed record ServerOptions
{
    /// <summary>The workspace folder.</summary>
    public string Workspace { get; init; } = "";

    /// <summary>The key directory (null: the core's default resolution).</summary>
    public string? KeyDirectory { get; init; }

    /// <summary>The least severe log level written to stderr.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    /// <summary>The largest JSON-RPC message body accepted, in bytes.</summary>
    public long MaxMessageBytes { get; init; } = FrameGuard.DefaultMaxMessageBytes;

    /// <summary>The agent socket path (null: <c>&lt;key-dir&gt;/&lt;workspaceId&gt;/agent.sock</c>).</summary>
    public string? SocketPath { get; init; }

    /// <summary>When true no agent socket is opened.</summary>
    public bool NoSocket { get; init; }

    /// <summary>
    /// True when started with <c>--stdio</c>, which vscode-languageclient appends: an editor is on stdin and will send
    /// <c>initialize</c> at once, so a sidecar that cannot take the ledger answers it with the reason before exiting.
    /// </summary>
    public bool StartedByEditor { get; init; }

    /// <summary>The usage line printed on bad arguments.</summary>
    public const string Usage =
        "usage: OpenThymos.Server --workspace <dir> [--key-dir <dir>] [--log-level trace|debug|info|warn|error] [--max-message-bytes N] [--socket <path>] [--no-socket] [--stdio]";

    /// <summary>Parses the arguments, or returns an error sentence.</summary>
    public static (ServerOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new ServerOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--stdio")
            {
                // vscode-languageclient appends --stdio; stdio is the only editor transport, so it only says who started us.
                options = options with { StartedByEditor = true };
                continue;
            }
            if (name == "--no-socket")
            {
                options = options with { NoSocket = true };
                continue;
            }
            if (i + 1 >= args.Count)
            {
                return (null, $"'{name}' needs a value (or is unknown).");
            }
            var value = args[++i];
            switch (name)
            {
                case "--workspace":
                    options = options with { Workspace = value };
                    break;
                case "--key-dir":
                    options = options with { KeyDirectory = value };
                    break;
                case "--socket":
                    options = options with { SocketPath = value };
                    break;
                case "--log-level":
                    if (!SidecarLog.TryParseLevel(value, out var level))
                    {
                        return (null, $"--log-level must be trace, debug, info, warn or error, not '{value}'.");
                    }
                    options = options with { LogLevel = level };
                    break;
                case "--max-message-bytes":
                    if (!long.TryParse(value, out var max) || max < 1024)
                    {
                        return (null, $"--max-message-bytes must be a whole number of at least 1024, not '{value}'.");
                    }
                    options = options with { MaxMessageBytes = max };
                    break;
                default:
                    return (null, $"Unknown option '{name}'.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.Workspace))
        {
            return (null, "--workspace is required.");
        }
        if (!Directory.Exists(options.Workspace))
        {
            return (null, $"The workspace folder '{options.Workspace}' does not exist.");
        }
        return (options, null);
    }
}
