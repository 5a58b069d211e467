// The options every verb accepts: --workspace, --key-dir and --json.
using System.CommandLine;

namespace OpenThymos.Cli.Commands;

/// <summary>Options shared by all verbs (declared recursive on the root command).</summary>
internal static class GlobalOptions
{
    /// <summary>The workspace folder (default: the current directory).</summary>
    public static Option<string?> Workspace { get; } = new("--workspace", "-w")
    {
        Description = "The governed workspace folder (default: the current directory).",
        Recursive = true,
    };

    /// <summary>The key directory.</summary>
    public static Option<string?> KeyDir { get; } = new("--key-dir")
    {
        Description = "The key directory outside the workspace (default: $OPENTHYMOS_KEY_DIR, else $XDG_DATA_HOME/openthymos/keys, else ~/.local/share/openthymos/keys).",
        Recursive = true,
    };

    /// <summary>Machine-readable output.</summary>
    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON to stdout (the protocol's wire shapes) instead of readable text.",
        Recursive = true,
    };

    /// <summary>The writ token for agent verbs.</summary>
    public static Option<string?> Writ { get; } = new("--writ")
    {
        Description = "The agent's writ token (default: $THYMOS_WRIT).",
    };

    /// <summary>The workspace named by the parse result.</summary>
    public static WorkspaceLocation Location(ParseResult result) =>
        new(result.GetValue(Workspace), result.GetValue(KeyDir));

    /// <summary>The writ token from <c>--writ</c> or <c>$THYMOS_WRIT</c>.</summary>
    public static string? WritToken(ParseResult result) =>
        result.GetValue(Writ) is { Length: > 0 } token ? token : Environment.GetEnvironmentVariable("THYMOS_WRIT");
}
