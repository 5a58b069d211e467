// The options every verb accepts: --workspace, --key-dir and --json.
using System.CommandLine;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Workspace;

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

    /// <summary>The writ token for agent verbs (visible to other users in the process list; prefer the file or the environment).</summary>
    public static Option<string?> Writ { get; } = new("--writ")
    {
        Description = "The agent's writ token. Other users can read it in the process list: prefer --writ-file or $THYMOS_WRIT.",
    };

    /// <summary>A file holding the writ token, for agent verbs.</summary>
    public static Option<string?> WritFile { get; } = new("--writ-file")
    {
        Description = "A file holding the agent's writ token (keep it owner-only, e.g. chmod 600). Default: $THYMOS_WRIT_FILE, else the token in $THYMOS_WRIT.",
    };

    /// <summary>The workspace named by the parse result.</summary>
    public static WorkspaceLocation Location(ParseResult result) =>
        new(result.GetValue(Workspace), result.GetValue(KeyDir));

    /// <summary>
    /// The writ token from <c>--writ</c> (with a warning on stderr: the process list shows it to other users),
    /// <c>--writ-file</c>, <c>$THYMOS_WRIT_FILE</c> or <c>$THYMOS_WRIT</c>, in that order; null when none is given.
    /// </summary>
    public static string? WritToken(ParseResult result)
    {
        if (result.GetValue(Writ) is { Length: > 0 } token)
        {
            Screen.Error(
                "thymos: warning: --writ puts the writ token on the command line, where other users of this machine can read it in the process list (ps). "
                + "Pass it in a file with --writ-file PATH (mode 600) or in the environment variable THYMOS_WRIT instead.");
            return token;
        }

        var file = result.GetValue(WritFile) is { Length: > 0 } path ? path : Environment.GetEnvironmentVariable("THYMOS_WRIT_FILE");
        if (!string.IsNullOrEmpty(file))
        {
            try
            {
                var text = File.ReadAllText(file).Trim();
                return text.Length > 0
                    ? text
                    : throw new CliException(ExitCodes.Usage, $"The writ file '{file}' is empty. Put the token printed by `thymos grant` in it.");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Usage, $"The writ file '{file}' cannot be read ({exception.Message}). Check the path and that it is readable by this user.");
            }
        }

        return Environment.GetEnvironmentVariable("THYMOS_WRIT");
    }
}
