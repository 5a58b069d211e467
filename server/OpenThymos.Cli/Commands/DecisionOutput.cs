// Prints the result of approve, reject and revert, and maps stale or failed outcomes to exit code 1.
using System.CommandLine;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>Writes a <see cref="DecisionResultInfo"/> and returns the exit code.</summary>
internal static class DecisionOutput
{
    /// <summary>Writes the decision; committed, rejected and rebased are success, stale and failed are not.</summary>
    public static int Write(ParseResult result, DecisionResultInfo decision)
    {
        var ok = decision.Outcome is "committed" or "rejected" or "rebased";
        if (result.GetValue(GlobalOptions.Json))
        {
            CliJson.Write(decision);
        }
        else
        {
            var seq = decision.CommitSeq is { } s ? $" (ledger entry {s})" : "";
            Screen.Line($"{decision.Outcome}: {decision.ProposalId}@{decision.Revision}{seq}");
            if (!string.IsNullOrEmpty(decision.Message))
            {
                Screen.Line(decision.Message);
            }
        }

        if (!ok)
        {
            Screen.Error($"thymos: the runtime reported '{decision.Outcome}' for {decision.ProposalId}: {decision.Message ?? "see `thymos show`."}");
        }

        return ok ? ExitCodes.Ok : ExitCodes.Refused;
    }
}
