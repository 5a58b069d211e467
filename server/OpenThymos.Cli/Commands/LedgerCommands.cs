// The ledger verbs: log, verify, replay, drift, revert, export.
using System.CommandLine;
using System.Text.Json.Nodes;
using OpenThymos.Cli.Errors;
using OpenThymos.Cli.Output;
using OpenThymos.Cli.Transport;
using OpenThymos.Server.Protocol;
using OpenThymos.Server.Surface;

namespace OpenThymos.Cli.Commands;

/// <summary>Builds the verbs that read, check and revert the ledger.</summary>
internal static class LedgerCommands
{
    /// <summary><c>thymos log</c>.</summary>
    public static Command Log()
    {
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many entries, newest first.", DefaultValueFactory = _ => 50 };
        var agent = new Option<string?>("--agent") { Description = "Only entries of this agent." };
        var path = new Option<string?>("--path") { Description = "Only entries naming this workspace-relative path." };
        var kind = new Option<string[]>("--kind") { Description = "Only entries of these kinds (commit, proposal.staged, …; repeatable).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("log", "Show the ledger's timeline, newest first.") { limit, agent, path, kind };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var kinds = result.GetValue(kind) is { Length: > 0 } k ? k : null;
            var page = await backend.ListEntriesAsync(new ListEntriesParams { Limit = result.GetValue(limit), Agent = result.GetValue(agent), Path = result.GetValue(path), Kinds = kinds }, ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(page);
                return ExitCodes.Ok;
            }

            foreach (var e in page.Entries)
            {
                Screen.Row($"{e.Seq,6}  {e.Time}  {e.Actor,-24}  {e.Summary}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos verify</c>.</summary>
    public static Command Verify()
    {
        var command = new Command("verify", "Verify the ledger: hash chain, signatures, blobs and the signed head anchor. Exit code 4 when problems are found.");
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var verification = await backend.VerifyAsync(new ProgressBar("verifying"), ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(verification);
            }
            else
            {
                Screen.Composed(verification.Valid
                    ? $"ok: {verification.EntriesChecked} entries and {verification.BlobsChecked} blobs verified{(verification.AnchorChecked ? ", head anchor matches" : "")}.\n"
                    : Colors.Red($"{verification.Problems.Count} problem(s) in {verification.EntriesChecked} entries:") + "\n");
                foreach (var problem in verification.Problems)
                {
                    Screen.Line($"  {(problem.Seq is { } seq ? $"entry {seq}" : "ledger")}: {problem.Code}: {problem.Message}");
                }
            }

            return verification.Valid ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }

    /// <summary><c>thymos replay</c>.</summary>
    public static Command Replay()
    {
        var to = new Option<long?>("--to") { Description = "Fold the ledger up to this seq (default: the head)." };
        var command = new Command("replay", "Rebuild the world (every file and its hash) from the ledger alone, at the head or at --to SEQ.") { to };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var world = await backend.ReplayAsync(result.GetValue(to), ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(world);
                return ExitCodes.Ok;
            }

            Screen.Line($"world at seq {world.Seq}: {world.Files.Count(f => f.Hash is not null)} file(s)");
            foreach (var file in world.Files)
            {
                Screen.Row($"  {file.Hash?[..12] ?? "(deleted)   "}  {file.Path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos drift</c>.</summary>
    public static Command Drift()
    {
        var command = new Command("drift", "Compare the ledger's last known state of each file with the disk.");
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var drift = await backend.GetDriftAsync(ct).ConfigureAwait(false);
            if (result.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(drift);
                return ExitCodes.Ok;
            }

            Screen.Line(drift.Items.Count == 0 ? $"no drift: the disk matches the ledger at seq {drift.Seq}." : $"{drift.Items.Count} drifted file(s) at seq {drift.Seq}:");
            foreach (var item in drift.Items)
            {
                Screen.Row($"  {item.Kind,-22} {item.Path} (last entry {item.LastEntrySeq})");
            }

            if (drift.Items.Any(i => i.Kind == "pendingRedo"))
            {
                Screen.Line("pendingRedo: the commit is durable in the ledger but the process stopped before moving the file into place; "
                    + "nothing changed outside the ledger. Recovery writes it when the sidecar restarts (or the next `thymos` command that writes opens the workspace).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>thymos revert &lt;seq&gt;</c>.</summary>
    public static Command Revert()
    {
        var seq = new Argument<long>("seq") { Description = "The commit (or revert) entry to undo (see `thymos log --kind commit`)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record." };
        var command = new Command("revert", "Undo a commit with a compensating commit; refused when later changes touched the same lines.") { seq, reason };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            await using var backend = await BackendFactory.OperatorAsync(GlobalOptions.Location(result), true, ct).ConfigureAwait(false);
            var decision = await backend.RevertAsync(new RevertCommitParams { Seq = result.GetValue(seq), Reason = result.GetValue(reason) }, ct).ConfigureAwait(false);
            return DecisionOutput.Write(result, decision);
        });
        return command;
    }

    /// <summary><c>thymos export</c>.</summary>
    public static Command Export()
    {
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file instead of stdout." };
        var command = new Command("export", "Export the whole ledger as JSON: every entry with its payload, and the verification result.") { output };
        CommandRunner.SetAction(command, async (result, ct) =>
        {
            var location = GlobalOptions.Location(result);
            await using var backend = await BackendFactory.OperatorAsync(location, true, ct).ConfigureAwait(false);
            var entries = new JsonArray();
            long? before = null;
            var summaries = new List<EntrySummary>();
            do
            {
                var page = await backend.ListEntriesAsync(new ListEntriesParams { BeforeSeq = before, Limit = 1000 }, ct).ConfigureAwait(false);
                summaries.AddRange(page.Entries);
                before = page.NextBeforeSeq;
            }
            while (before is not null);

            foreach (var summary in summaries.OrderBy(s => s.Seq))
            {
                var entry = await backend.GetEntryAsync(summary.Seq, ct).ConfigureAwait(false);
                entries.Add(new JsonObject
                {
                    ["seq"] = summary.Seq,
                    ["kind"] = summary.Kind,
                    ["actor"] = summary.Actor,
                    ["time"] = summary.Time,
                    ["parent"] = entry.Parent,
                    ["hash"] = summary.Hash,
                    ["payload"] = JsonNode.Parse(entry.Payload.GetRawText()),
                });
            }

            var verification = await backend.VerifyAsync(null, ct).ConfigureAwait(false);
            var document = new JsonObject
            {
                ["workspace"] = location.Root,
                ["workspaceId"] = location.WorkspaceId,
                ["exportedAt"] = ProtocolConversions.Iso(DateTimeOffset.UtcNow),
                ["entries"] = entries,
                ["verification"] = JsonNode.Parse(CliJson.Serialize(verification)),
            };
            var text = document.ToJsonString(CliJson.Options);
            if (result.GetValue(output) is { Length: > 0 } file)
            {
                await File.WriteAllTextAsync(file, text + "\n", ct).ConfigureAwait(false);
                if (!result.GetValue(GlobalOptions.Json))
                {
                    Screen.Line($"exported {entries.Count} entries to {Path.GetFullPath(file)} (verification: {(verification.Valid ? "valid" : $"{verification.Problems.Count} problem(s)")}).");
                }
            }
            else
            {
                // Exact data: the serializer escapes every control, bidirectional and non-ASCII character.
                CliJson.WriteText(text);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
