// `thymos propose`: submit a file's new content or a unified diff as a proposal, under a writ.
using System.CommandLine;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Core.Writs;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds <c>thymos propose</c>.</summary>
internal static class ProposeCommand
{
    /// <summary><c>thymos propose --path P (--from FILE | --diff FILE)</c>.</summary>
    public static Command Create()
    {
        var path = new Option<string>("--path") { Description = "The workspace-relative path to change or create.", Required = true };
        var from = new Option<string?>("--from") { Description = "A file holding the complete new content." };
        var diff = new Option<string?>("--diff") { Description = "A unified diff to apply to the path." };
        var description = new Option<string?>("--description", "-m") { Description = "What the change is for." };
        var command = new Command("propose", "Propose a change as an agent (needs a writ): the new content of a file, or a diff. A human reviews it before anything is written.")
        {
            path, from, diff, description, GlobalOptions.Writ, GlobalOptions.WritFile,
        };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var fromFile = result.GetValue(from);
            var diffFile = result.GetValue(diff);
            if ((fromFile is null) == (diffFile is null))
            {
                throw new CliException(ExitCodes.Usage, "Pass exactly one of --from FILE (new content) or --diff FILE (a unified diff).");
            }

            var location = GlobalOptions.Location(result);
            await using var backend = await BackendFactory.AgentAsync(location, GlobalOptions.WritToken(result), ct).ConfigureAwait(false);
            var target = result.GetValue(path)!;
            string? baseHash = null;
            if (File.Exists(Path.Combine(location.Root, target)))
            {
                baseHash = (await backend.ReadFileAsync(target, ct).ConfigureAwait(false)).Hash;
            }

            var source = fromFile ?? diffFile!;
            string input;
            try
            {
                input = await File.ReadAllTextAsync(source, ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliException(ExitCodes.Usage, $"Cannot read {source} ({ex.Message}). Check the path given to --from or --diff.");
            }

            var file = new FileIntentInfo
            {
                Kind = baseHash is null ? "create" : "modify",
                Path = target,
                BaseHash = baseHash,
                Content = fromFile is null ? null : input,
                UnifiedDiff = diffFile is null ? null : input,
            };
            var submitted = await backend.SubmitAsync(
                new SubmitIntentParams { Nonce = Writ.NewNonce(), Description = result.GetValue(description) ?? $"{file.Kind} {target}", Files = [file] },
                ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(submitted);
            }
            else
            {
                Screen.Line($"{submitted.Outcome}: {submitted.ProposalId} [{submitted.Status}]");
                Screen.Line(submitted.Message);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
