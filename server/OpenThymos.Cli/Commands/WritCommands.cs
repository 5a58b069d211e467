// The writ verbs: grant (issue a writ and print its token) and revoke.
using System.CommandLine;
using System.Globalization;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds the verbs that issue and revoke writs.</summary>
internal static class WritCommands
{
    /// <summary><c>thymos grant</c>.</summary>
    public static Command Grant()
    {
        var agent = new Option<string>("--agent") { Description = "The agent's name (recorded on its proposals).", Required = true };
        var session = new Option<string?>("--session") { Description = "A session name (default: cli)." };
        var include = new Option<string[]>("--include") { Description = "Paths the agent may touch, as globs (repeatable; default **).", AllowMultipleArgumentsPerToken = true };
        var exclude = new Option<string[]>("--exclude") { Description = "Paths it may not touch, as globs (repeatable).", AllowMultipleArgumentsPerToken = true };
        var effects = new Option<string>("--effects") { Description = "Allowed effects, comma-separated: create,modify,delete,rename.", DefaultValueFactory = _ => "create,modify,delete,rename" };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime, e.g. 30m, 8h, 2d.", DefaultValueFactory = _ => "8h" };
        var maxProposals = new Option<int?>("--max-proposals") { Description = "Proposal budget." };
        var maxFiles = new Option<int?>("--max-files") { Description = "Budget of distinct files." };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "Budget of bytes added." };
        var command = new Command("grant", "Issue a writ to an agent and print its token (give it to the agent as THYMOS_WRIT). Creates the ledger when the folder has none.")
        {
            agent, session, include, exclude, effects, ttl, maxProposals, maxFiles, maxBytes,
        };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var lifetime = ParseTtl(result.GetValue(ttl)!);
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), false, ct).ConfigureAwait(false);
            var issued = await backend.IssueWritAsync(
                new IssueWritParams
                {
                    Agent = result.GetValue(agent)!,
                    Session = result.GetValue(session),
                    Include = result.GetValue(include) is { Length: > 0 } i ? i : ["**"],
                    Exclude = result.GetValue(exclude) is { Length: > 0 } e ? e : null,
                    Effects = result.GetValue(effects)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    MaxProposals = result.GetValue(maxProposals),
                    MaxFiles = result.GetValue(maxFiles),
                    MaxBytes = result.GetValue(maxBytes),
                    LifetimeSeconds = (long)lifetime.TotalSeconds,
                },
                ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(issued);
            }
            else
            {
                Screen.Error($"writ {issued.Writ.WritId} for agent {issued.Writ.Agent}, effects [{string.Join(", ", issued.Writ.Effects)}], include [{string.Join(", ", issued.Writ.Include)}], expires {issued.Writ.ExpiresAt}. Token:");
                Screen.Line(issued.Token);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos revoke &lt;writId&gt;</c>.</summary>
    public static Command Revoke()
    {
        var writId = new Argument<string>("writId") { Description = "The writ id (w_…)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record." };
        var command = new Command("revoke", "Revoke a writ: its pending proposals are rejected and its token stops working.") { writId, reason };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            await backend.RevokeWritAsync(new RevokeWritParams { WritId = result.GetValue(writId)!, Reason = result.GetValue(reason) }, ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(new RevokeWritParams { WritId = result.GetValue(writId)!, Reason = result.GetValue(reason) });
            }
            else
            {
                Screen.Line($"revoked {result.GetValue(writId)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses 45s, 30m, 8h, 2d or a TimeSpan (hh:mm:ss).</summary>
    public static TimeSpan ParseTtl(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (span is { } value)
            {
                return value;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
            ? parsed
            : throw new CliException(ExitCodes.Usage, $"--ttl '{text}' is not a duration. Use a number with s, m, h or d (for example 8h).");
    }
}
