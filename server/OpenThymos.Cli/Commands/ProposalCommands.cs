// The review verbs: pending, show, approve, reject.
using System.CommandLine;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds the verbs that list, show and decide proposals.</summary>
internal static class ProposalCommands
{
    /// <summary><c>thymos pending</c>.</summary>
    public static Command Pending()
    {
        var agent = new Option<string?>("--agent") { Description = "Only proposals of this agent." };
        var command = new Command("pending", "List the proposals awaiting review, newest first.") { agent };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var list = await backend.ListProposalsAsync(new ListProposalsParams { Statuses = ["pending"], Agent = result.GetValue(agent) }, ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(list);
                return ExitCodes.Ok;
            }

            if (list.Proposals.Count == 0)
            {
                Screen.Line("No pending proposals.");
            }

            foreach (var p in list.Proposals)
            {
                var files = string.Join(", ", p.Files.Select(f => Screen.RowText($"{f.Effect} {f.Path} ({f.PendingCount}/{f.HunkCount} hunks pending)")));
                Screen.Row($"{p.ProposalId}  r{p.Revision}  {p.Agent}  {p.CreatedAt}  {p.Description}");
                if (p.HiddenCharacters.Count > 0)
                {
                    Screen.Composed(Colors.Yellow($"    ⚠ contains hidden or control characters: {string.Join(" ", p.HiddenCharacters)}") + "\n");
                }

                Screen.Line($"    {files}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos show &lt;proposalId&gt;</c>.</summary>
    public static Command Show()
    {
        var id = new Argument<string>("proposalId") { Description = "The proposal id (from `thymos pending`)." };
        var command = new Command("show", "Show a proposal's hunks as a unified diff (colored on a terminal unless NO_COLOR is set).") { id };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var detail = await backend.GetProposalAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(detail);
            }
            else
            {
                Screen.Composed(DiffRenderer.Render(detail));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos approve</c>.</summary>
    public static Command Approve() => Decide("approve", "Approve a proposal: every pending hunk, or only the named hunks and files. The runtime then writes them atomically.");

    /// <summary><c>thymos reject</c>.</summary>
    public static Command Reject() => Decide("reject", "Reject a proposal: every pending hunk, or only the named hunks and files.");

    private static Command Decide(string verb, string description)
    {
        var id = new Argument<string>("proposalId") { Description = "The proposal id (from `thymos pending`)." };
        var hunks = new Option<string[]>("--hunk") { Description = "A hunk as path#hunkId (repeatable; see `thymos show`).", AllowMultipleArgumentsPerToken = true };
        var files = new Option<string[]>("--file") { Description = "A whole file of the proposal (repeatable).", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for the agent and the record." };
        var command = new Command(verb, description) { id, hunks, files };
        if (verb == "reject")
        {
            command.Options.Add(reason);
        }

        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var proposalId = result.GetValue(id)!;
            var current = await backend.GetProposalAsync(proposalId, ct).ConfigureAwait(false);
            var hunkList = result.GetValue(hunks) is { Length: > 0 } h ? h : null;
            var fileList = result.GetValue(files) is { Length: > 0 } f ? f : null;
            var decision = verb == "approve"
                ? await backend.ApproveAsync(new ApproveProposalParams { ProposalId = proposalId, Revision = current.Proposal.Revision, Hunks = hunkList, Files = fileList }, ct).ConfigureAwait(false)
                : await backend.RejectAsync(new RejectProposalParams { ProposalId = proposalId, Revision = current.Proposal.Revision, Hunks = hunkList, Files = fileList, Reason = result.GetValue(reason) }, ct).ConfigureAwait(false);
            return DecisionOutput.Write(result, decision);
        });
        return command;
    }
}
