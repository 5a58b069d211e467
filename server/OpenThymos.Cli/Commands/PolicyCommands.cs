// The policy verbs: show the policy in force and the file on disk, and adopt the file as the policy in force.
using System.CommandLine;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>
/// Builds <c>thymos policy show</c> and <c>thymos policy adopt HASH</c>. The policy in force is the one the ledger
/// recorded; a change to <c>.thymos/policy.json</c> governs only once a human adopts it, naming the hash shown by
/// <c>show</c>, so what is adopted is exactly what was reviewed. Adopting needs the operator credential (the
/// running sidecar's operator token, or the ledger's writer lock when no sidecar runs).
/// </summary>
internal static class PolicyCommands
{
    /// <summary><c>thymos policy</c> with its subcommands.</summary>
    public static Command Policy()
    {
        var command = new Command("policy", "Show the policy in force, or adopt a changed .thymos/policy.json as the policy in force.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Adopt());
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Print the policy in force (as recorded in the ledger) and, when .thymos/policy.json differs, its text and the hash to adopt.");
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var policy = await backend.GetPolicyAsync(ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(policy);
                return ExitCodes.Ok;
            }

            Screen.Line($"policy in force: {policy.Hash} ({policy.Source})");
            Screen.Line(policy.Text);
            if (policy.Notice is { } notice)
            {
                Screen.Line("");
                Screen.Line(notice);
            }

            if (policy.DiskText is { } disk)
            {
                Screen.Line($"on disk, not in force: {policy.DiskHash}");
                Screen.Line(disk);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Adopt()
    {
        var hash = new Argument<string>("hash") { Description = "The hash 'thymos policy show' printed for the file on disk: what you reviewed." };
        var command = new Command("adopt", "Make .thymos/policy.json the policy in force (a ledgered policy.changed with you as actor), if it is still the text whose hash you give.") { hash };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var policy = await backend.AdoptPolicyAsync(new AdoptPolicyParams { Hash = result.GetValue(hash)! }, ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(policy);
            }
            else
            {
                Screen.Line($"adopted: the policy in force is now {policy.Hash}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
