// The review verbs: pending, show, approve, reject.
using System.CommandLine;
using OpenThymos.Cli.Errors;
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
                Screen.Row($"{p.ProposalId}@{p.Revision}  {p.Agent}  {p.CreatedAt}  {p.Description}");
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
    public static Command Approve() => Decide("approve",
        "Approve revision REV of a proposal (PROPOSAL@REV, as `thymos show` prints it): every pending hunk, or only the named hunks and files. "
        + "The runtime refuses if the proposal was revised since; otherwise it writes the hunks atomically.");

    /// <summary><c>thymos reject</c>.</summary>
    public static Command Reject() => Decide("reject", "Reject a proposal (PROPOSAL, or PROPOSAL@REV to reject only that revision): every pending hunk, or only the named hunks and files.");

    private static Command Decide(string verb, string description)
    {
        var id = new Argument<string>("proposal") { Description = "The proposal and the revision you reviewed, as PROPOSAL@REV (from `thymos show`)." };
        var hunks = new Option<string[]>("--hunk") { Description = "A hunk as path#hunkId (repeatable; see `thymos show`).", AllowMultipleArgumentsPerToken = true };
        var files = new Option<string[]>("--file") { Description = "A whole file of the proposal (repeatable).", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for the agent and the record." };
        var current = new Option<bool>("--current")
        {
            Description = "Approve whatever revision is current without naming it (for scripts; the approval is recorded as unpinned). Prefer PROPOSAL@REV.",
        };
        var command = new Command(verb, description) { id, hunks, files };
        if (verb == "reject")
        {
            command.Options.Add(reason);
        }
        else
        {
            command.Options.Add(current);
        }

        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var (proposalId, named) = ReviewedRevision.Parse(result.GetValue(id)!);
            var unpinned = verb == "approve" && result.GetValue(current);
            if (named is not null && unpinned)
            {
                throw new CliException(ExitCodes.Usage, $"'{proposalId}@{named}' names a revision and --current asks for whatever is current; use one of them (prefer {proposalId}@{named}).");
            }

            var shown = await backend.GetProposalAsync(proposalId, ct).ConfigureAwait(false);
            if (named is null && verb == "approve" && !unpinned)
            {
                throw new CliException(ExitCodes.Refused,
                    $"Approving needs the revision you reviewed: proposal {proposalId} is at revision {shown.Proposal.Revision} ({shown.Proposal.Status}). "
                    + $"Review it with `thymos show {proposalId}`, then run `thymos approve {proposalId}@{shown.Proposal.Revision}`. Nothing was approved.");
            }

            // The digests pin the hunk contents of the revision named; they are those just read when that revision is current
            // (a revision never changes), and none when it is not, so the runtime then refuses with the current revision.
            var revision = named ?? shown.Proposal.Revision;
            var digests = shown.Proposal.Revision == revision ? ReviewedRevision.Digests(shown) : null;
            var hunkList = result.GetValue(hunks) is { Length: > 0 } h ? h : null;
            var fileList = result.GetValue(files) is { Length: > 0 } f ? f : null;
            var decision = verb == "approve"
                ? await backend.ApproveAsync(new ApproveProposalParams { ProposalId = proposalId, Revision = revision, Hunks = hunkList, Files = fileList, HunkDigests = digests, Pinned = unpinned ? false : null }, ct).ConfigureAwait(false)
                : await backend.RejectAsync(new RejectProposalParams { ProposalId = proposalId, Revision = revision, Hunks = hunkList, Files = fileList, Reason = result.GetValue(reason), HunkDigests = named is null ? null : digests }, ct).ConfigureAwait(false);
            return DecisionOutput.Write(result, decision);
        });
        return command;
    }
}
