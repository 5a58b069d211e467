// Submitting intents: compile, check the writ and the policy, stage, and auto-approve where the policy says so.
using System.Text.Json.Nodes;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Compiles an agent's intent into a proposal. Refusals are returned as values and ledgered;
    /// an identical re-submission returns the pending proposal instead of creating another.
    /// </summary>
    public SubmitResult Submit(AgentSession session, Intent intent)
    {
        return Run(() =>
        {
            var paths = intent.Files?.Select(f => f.Path ?? "").ToList() ?? [];
            if (!_state.Writs.TryGetValue(session.WritId, out var writ))
            {
                return Refuse(session, paths, new RuntimeError(RuntimeErrorCode.WritUnknown, $"Writ '{session.WritId}' was never issued in this workspace. Ask the user to grant access again."));
            }

            var writError = CheckWritUsable(writ);
            if (writError is not null)
            {
                return Refuse(session, paths, writError);
            }

            var shapeError = CheckIntentShape(intent);
            if (shapeError is not null)
            {
                return Refuse(session, paths, shapeError);
            }

            ObservePolicy();
            if (_policyError is not null)
            {
                return Refuse(session, paths, _policyError);
            }

            // Protected paths are refused before the file system is consulted, so agents cannot even probe them.
            foreach (var candidate in intent.Files!.SelectMany(f => new[] { f.Path, f.FromPath }).OfType<string>())
            {
                var (confined, _) = _compiler.Confine(candidate);
                if (confined is not null && BuiltinProtections.FloorFor(confined) is (PolicyOutcome.Deny, var pattern))
                {
                    return Refuse(session, paths, new RuntimeError(RuntimeErrorCode.PolicyDenied,
                        $"'{confined}' is protected (built-in rule {pattern}): agents may never change it. Leave it to a human."));
                }
            }

            var compiled = new List<CompiledFile>();
            foreach (var file in intent.Files!)
            {
                var (result, error) = _compiler.Compile(file);
                if (error is not null)
                {
                    return Refuse(session, paths, error);
                }

                compiled.Add(result!);
            }

            var digest = IntentDigest(session.Agent, compiled);
            var nonceUse = _state.NonceUse(writ.Id, intent.Nonce);
            if (nonceUse is not null)
            {
                return nonceUse.Value.Digest == digest
                    ? new SubmitResult(SubmitOutcome.Duplicate, nonceUse.Value.ProposalId)
                    : Refuse(session, paths, new RuntimeError(RuntimeErrorCode.ReplayedNonce,
                        $"Nonce '{intent.Nonce}' was already used under writ '{writ.Id}' for a different change. Send each new intent with a fresh nonce."));
            }

            var duplicate = _state.PendingDuplicate(session.Agent, digest);
            if (duplicate is not null)
            {
                return new SubmitResult(SubmitOutcome.Duplicate, duplicate.Id);
            }

            var authorityError = CheckWritAuthority(writ, compiled);
            if (authorityError is not null)
            {
                return Refuse(session, paths, authorityError);
            }

            var trace = PolicyEvaluator.Evaluate(_policy, [.. compiled.SelectMany(c => c.PolicyChanges)]);
            if (trace.Outcome == PolicyOutcome.Deny)
            {
                var denied = trace.Files.First(f => f.Outcome == PolicyOutcome.Deny);
                return Refuse(session, paths, new RuntimeError(RuntimeErrorCode.PolicyDenied,
                    $"The workspace policy denies changing '{denied.Path}' (rule {denied.DecidedBy}). Leave that file to a human, or ask the user to change .thymos/policy.json."));
            }

            var proposalId = NewId("p_");
            var staged = new ProposalStagedPayload(
                proposalId,
                1,
                "submitted",
                writ.Id,
                session.Agent,
                session.Session,
                intent.Nonce,
                digest,
                intent.Description ?? "",
                [.. compiled.Select(c => c.Record)],
                ToRecord(trace));
            Append(
                [PendingEntry.Of(EntryKind.ProposalStaged, "agent:" + session.Agent, staged, LedgerJsonContext.Default.ProposalStagedPayload)],
                [.. compiled.SelectMany(c => c.Blobs).DistinctBy(b => b.Hash)]);

            if (trace.Outcome == PolicyOutcome.AutoApprove)
            {
                var rules = string.Join("+", trace.Files.Select(f => f.DecidedBy).Distinct());
                var decision = ApproveLocked(new ApproveRequest(proposalId, 1, "policy:" + rules, HunkSelection.All));
                return new SubmitResult(SubmitOutcome.AutoApproved, proposalId, decision.Error, decision);
            }

            return new SubmitResult(SubmitOutcome.Staged, proposalId);
        });
    }

    private RuntimeError? CheckIntentShape(Intent intent)
    {
        if (intent.Files is null || intent.Files.Count == 0)
        {
            return new RuntimeError(RuntimeErrorCode.IntentInvalid, "The intent names no files; send at least one file change.");
        }

        if (intent.Files.Count > _options.MaxFilesPerIntent)
        {
            return new RuntimeError(RuntimeErrorCode.IntentInvalid, $"The intent names {intent.Files.Count} files; at most {_options.MaxFilesPerIntent} are allowed in one proposal. Split it.");
        }

        if (string.IsNullOrWhiteSpace(intent.Nonce) || intent.Nonce.Length > 128)
        {
            return new RuntimeError(RuntimeErrorCode.IntentInvalid, "The intent needs a nonce of 1 to 128 characters, unique per submission.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in intent.Files)
        {
            foreach (var path in new[] { file.Path, file.FromPath }.OfType<string>())
            {
                if (!seen.Add(path))
                {
                    return new RuntimeError(RuntimeErrorCode.IntentInvalid, $"The intent names '{path}' more than once; send one change per file.");
                }
            }
        }

        return null;
    }

    private SubmitResult Refuse(AgentSession session, IReadOnlyList<string> paths, RuntimeError error)
    {
        var code = error.Code switch
        {
            RuntimeErrorCode.PathRefused => RejectionReason.PathRefused,
            RuntimeErrorCode.WritRefused or RuntimeErrorCode.WritUnknown => RejectionReason.WritRefused,
            RuntimeErrorCode.WritRevoked => RejectionReason.WritRevoked,
            RuntimeErrorCode.PolicyDenied => RejectionReason.PolicyDenied,
            RuntimeErrorCode.ReplayedNonce => RejectionReason.ReplayedNonce,
            RuntimeErrorCode.StaleBase => RejectionReason.StaleBase,
            _ => RejectionReason.IntentInvalid,
        };
        var payload = new RejectionPayload(null, 0, [], code, error.Message, session.Agent, session.WritId, [.. paths.Take(100).Select(Printable)], CurrentPolicyHash);
        Append([PendingEntry.Of(EntryKind.Rejection, "runtime", payload, LedgerJsonContext.Default.RejectionPayload)]);
        return new SubmitResult(SubmitOutcome.Refused, null, error);
    }

    /// <summary>Paths from agents may hold anything; keep what is recorded printable and bounded.</summary>
    private static string Printable(string path)
    {
        var cleaned = new string([.. path.Take(512).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c)]);
        return cleaned;
    }

    private static string IntentDigest(string agent, IReadOnlyList<CompiledFile> files)
    {
        var array = new JsonArray();
        foreach (var file in files)
        {
            // Added as a JsonNode: the generic Add<T> would serialize by reflection, which Native AOT cannot do.
            array.Add((JsonNode)new JsonObject
            {
                ["effect"] = file.Record.Effect,
                ["path"] = file.Record.Path,
                ["fromPath"] = file.Record.FromPath,
                ["base"] = file.Record.BaseHash,
                ["result"] = file.Record.ResultHash,
            });
        }

        var canonical = CanonicalJson.Write(new JsonObject { ["agent"] = agent, ["files"] = array });
        return ContentHash.Of(canonical).ToString();
    }

    private static PolicyDecisionRecord ToRecord(PolicyTrace trace) => new(
        trace.PolicyHash,
        PolicyOutcomeNames.Name(trace.Outcome),
        [.. trace.Files.Select(f => new PolicyTraceRecord(f.Path, f.DecidedBy, PolicyOutcomeNames.Name(f.Outcome), f.NotMatched))]);
}
