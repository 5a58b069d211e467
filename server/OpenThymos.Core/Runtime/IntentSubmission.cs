// Submitting intents: compile before the lock, then under it check the writ and the policy, stage, and auto-approve where the policy says so.
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenThymos.Core.Apply;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The two halves of <see cref="ThymosRuntime.Submit"/>. <see cref="Prepare"/> and <see cref="Compile"/> run before the
/// lock (agents compile in parallel): the checks of the intent alone, the compiled files (read, hashed, diffed), the
/// digest, the policy trace and the <c>proposal.staged</c> entry. <see cref="Stage"/> runs under it: the checks against
/// the state as it is now, in their documented order, then the staging and, where the policy says so, the approval.
/// Every refusal is ledgered through the <see cref="RefusalLedger"/>. The retry loop is the façade's.
/// </summary>
internal sealed class IntentSubmission(
    FoldedLedger folded,
    IntentCompiler compiler,
    AtomicApplier applier,
    WritGate writs,
    PolicyGate policy,
    Func<WorkspacePolicy> policyInForce,
    RefusalLedger refusals,
    ProposalDecisions decisions,
    int maxFilesPerIntent)
{
    /// <summary>Ledgers the refusal of <paramref name="prepared"/> (through the refusal windows) and returns it.</summary>
    public SubmitResult Refuse(AgentSession session, PreparedSubmission prepared, RuntimeError error) =>
        Refuse(session, prepared.Paths, error, prepared.RequestDigest, prepared.RequestBytes);

    /// <summary>Ledgers a refused submission (through the refusal windows) and returns it.</summary>
    public SubmitResult Refuse(AgentSession session, IReadOnlyList<string> paths, RuntimeError error, string digest, long? requestBytes)
    {
        refusals.RefuseSubmission(session, paths, error, digest, requestBytes);
        return new SubmitResult(SubmitOutcome.Refused, null, error);
    }

    /// <summary>The digest of what an agent's compiled files change (effect, paths, base and result hashes): equal intents of one agent are duplicates.</summary>
    public static string IntentDigest(string agent, IReadOnlyList<CompiledFile> files)
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

    /// <summary>The lock-free part of <see cref="ThymosRuntime.Submit"/>: what the intent alone decides, the policy file, the compiled files and the staged entry.</summary>
    public PreparedSubmission Prepare(AgentSession session, Intent intent)
    {
        var (digest, bytes) = RequestSummary(intent);
        var prepared = new PreparedSubmission(intent.Files?.Select(f => f.Path ?? "").ToList() ?? [], "p_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))) { RequestDigest = digest, RequestBytes = bytes };
        var shapeError = CheckIntentShape(intent);
        if (shapeError is not null)
        {
            return prepared with { ShapeError = shapeError };
        }

        // Protected paths are refused before the file system is consulted, so agents cannot even probe them.
        var touched = new List<string>();
        foreach (var candidate in intent.Files!.SelectMany(f => new[] { f.Path, f.FromPath }).OfType<string>())
        {
            var (confined, _) = compiler.Confine(candidate);
            if (confined is not null)
            {
                touched.Add(confined);
            }

            if (confined is not null && BuiltinProtections.FloorFor(confined) is (PolicyOutcome.Deny, var pattern))
            {
                return prepared with
                {
                    ProtectedPathError = new RuntimeError(RuntimeErrorCode.PolicyDenied,
                        $"'{confined}' is protected (built-in rule {pattern}): agents may never change it. Leave it to a human."),
                };
            }
        }

        // The policy in force is the recorded one, never the file: read under no lock, it is the same object the lock sees unless a human adopted another meanwhile (then the lock evaluates again).
        var inForce = policyInForce();
        return Compile(session, intent, prepared with { LoadedPolicy = inForce, TouchedPaths = touched }, inForce);
    }

    /// <summary>
    /// The part of <see cref="ThymosRuntime.Submit"/> under the lock: the checks in their documented order, each against
    /// the state as it is now (writ revoked or expired, policy in force, nonce, pending duplicates, budget),
    /// then the staging. Compiled files are used only if none of the intent's paths was written through the
    /// applier since they were read; otherwise this returns null so that the caller compiles again outside the
    /// lock, or, on the <paramref name="lastAttempt"/>, refuses the intent as stale. Nothing is compiled here: an
    /// auto-approval that finds the files changed on disk returns <paramref name="changedUnderneath"/> to rebase outside the lock.
    /// </summary>
    public SubmitResult? Stage(AgentSession session, Intent intent, PreparedSubmission prepared, bool lastAttempt, out ChangedProposal? changedUnderneath)
    {
        changedUnderneath = null;
        var paths = prepared.Paths;
        if (!folded.State.Writs.TryGetValue(session.WritId, out var writ))
        {
            return Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.WritUnknown, $"Writ '{session.WritId}' was never issued in this workspace. Ask the user to grant access again."));
        }

        var writError = writs.CheckUsable(writ);
        if (writError is not null)
        {
            return Refuse(session, prepared, writError);
        }

        if (prepared.ShapeError is not null)
        {
            return Refuse(session, prepared, prepared.ShapeError);
        }

        if (policy.LoadError is not null)
        {
            return Refuse(session, prepared, policy.LoadError);
        }

        if (prepared.ProtectedPathError is not null)
        {
            return Refuse(session, prepared, prepared.ProtectedPathError);
        }

        if (applier.LastWriteTo(prepared.TouchedPaths) > prepared.ApplierGeneration)
        {
            // An approval or revert wrote this intent's files after they were read: what was compiled may be stale.
            if (!lastAttempt)
            {
                return null;
            }

            var written = prepared.TouchedPaths.Where(p => applier.LastWriteTo([p]) > prepared.ApplierGeneration).Select(p => "'" + p + "'");
            return Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.StaleBase,
                $"{string.Join(", ", written)} kept being written by approvals while this intent was compiled ({ThymosRuntime.AttemptsOutsideTheLock} times). "
                + "Nothing was staged; read the file(s) again and submit anew."));
        }

        if (prepared.CompileError is not null)
        {
            return Refuse(session, prepared, prepared.CompileError);
        }

        var nonceUse = folded.State.NonceUse(writ.Id, intent.Nonce);
        if (nonceUse is not null)
        {
            return nonceUse.Value.Digest == prepared.Digest
                ? new SubmitResult(SubmitOutcome.Duplicate, nonceUse.Value.ProposalId)
                : Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.ReplayedNonce,
                    $"Nonce '{intent.Nonce}' was already used under writ '{writ.Id}' for a different change. Send each new intent with a fresh nonce."));
        }

        var duplicate = folded.State.PendingDuplicate(session.Agent, prepared.Digest);
        if (duplicate is not null)
        {
            return new SubmitResult(SubmitOutcome.Duplicate, duplicate.Id);
        }

        // The budget is checked against the usage folded so far, under the lock, so concurrent submissions never overspend it.
        var authorityError = writs.CheckAuthority(writ, prepared.Files);
        if (authorityError is not null)
        {
            return Refuse(session, prepared, authorityError);
        }

        if (prepared.EvaluatedWith != policy.InForce.Hash)
        {
            prepared = Evaluate(session, intent, prepared, policy.InForce);
        }

        var trace = prepared.Trace!;
        if (trace.Outcome == PolicyOutcome.Deny)
        {
            var denied = trace.Files.First(f => f.Outcome == PolicyOutcome.Deny);
            return Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.PolicyDenied,
                $"The workspace policy denies changing '{denied.Path}' (rule {denied.DecidedBy}). Leave that file to a human, or ask the user to change .thymos/policy.json."));
        }

        if (prepared.SizeError is not null)
        {
            return Refuse(session, prepared, prepared.SizeError);
        }

        folded.Append([prepared.Entry!], prepared.Blobs);
        if (trace.Outcome == PolicyOutcome.AutoApprove)
        {
            var rules = string.Join("+", trace.Files.Select(f => f.DecidedBy).Distinct());
            var decision = decisions.Approve(new ApproveRequest(prepared.ProposalId, 1, "policy:" + rules, HunkSelection.All), out var changed);
            changedUnderneath = changed;
            return new SubmitResult(SubmitOutcome.AutoApproved, prepared.ProposalId, decision.Error, decision);
        }

        return new SubmitResult(SubmitOutcome.Staged, prepared.ProposalId);
    }

    /// <summary>
    /// Compiles every file of the intent against the disk (stopping at the first that does not compile) and,
    /// with a policy, evaluates it. The applier's generation is read first, so a write that lands while the
    /// files are read shows up as a newer generation.
    /// </summary>
    public PreparedSubmission Compile(AgentSession session, Intent intent, PreparedSubmission prepared, WorkspacePolicy? policy)
    {
        var generation = applier.Generation;
        var files = new List<CompiledFile>();
        foreach (var file in intent.Files!)
        {
            var (result, error) = compiler.Compile(file);
            if (error is not null)
            {
                return prepared with { ApplierGeneration = generation, CompileError = error, Files = [], Digest = "", EvaluatedWith = null, Trace = null, Entry = null, Blobs = [] };
            }

            files.Add(result!);
        }

        var compiled = prepared with { ApplierGeneration = generation, CompileError = null, Files = files, Digest = IntentDigest(session.Agent, files) };
        return policy is null
            ? compiled with { EvaluatedWith = null, Trace = null, Entry = null, Blobs = [] }
            : Evaluate(session, intent, compiled, policy);
    }

    /// <summary>Evaluates the policy on the compiled files and, unless it denies, builds the <c>proposal.staged</c> entry (its canonical JSON) and its blobs.</summary>
    private static PreparedSubmission Evaluate(AgentSession session, Intent intent, PreparedSubmission compiled, WorkspacePolicy policy)
    {
        var trace = PolicyEvaluator.Evaluate(policy, [.. compiled.Files.SelectMany(c => c.PolicyChanges)]);
        if (trace.Outcome == PolicyOutcome.Deny)
        {
            return compiled with { EvaluatedWith = policy.Hash, Trace = trace, Entry = null, Blobs = [] };
        }

        // The writ is the session's: the lock finds it by session.WritId before anything is staged.
        var staged = new ProposalStagedPayload(
            compiled.ProposalId,
            1,
            "submitted",
            session.WritId,
            session.Agent,
            session.Session,
            intent.Nonce,
            compiled.Digest,
            intent.Description ?? "",
            [.. compiled.Files.Select(c => c.Record)],
            ToRecord(trace));
        var (entry, hunkBlobs) = StagedPayloadCodec.Encode("agent:" + session.Agent, staged);
        return compiled with
        {
            EvaluatedWith = policy.Hash,
            Trace = trace,
            Entry = entry,
            Blobs = [.. compiled.Files.SelectMany(c => c.Blobs).Concat(hunkBlobs).DistinctBy(b => b.Hash)],
            SizeError = SizeErrorOf(entry, staged),
        };
    }

    /// <summary>
    /// Whether the proposal can be recorded: its <c>proposal.staged</c> entry (hunks already moved to blobs) and the
    /// approval and commit that would decide it (one <c>path#hunkId</c> and one digest per hunk, one record per file) must each fit
    /// in <see cref="LedgerFormat.MaxEntryBytes"/>. A proposal that cannot is refused now, as a value, rather than
    /// staged and then impossible to approve; the refusal names the sizes and what to do.
    /// </summary>
    private static RuntimeError? SizeErrorOf(PendingEntry entry, ProposalStagedPayload staged)
    {
        var stagedSize = CanonicalEntryEncoding.EncodedLength(entry.Kind, entry.Actor, entry.Payload);
        long decisionSize = 1024;
        foreach (var file in staged.Files)
        {
            var path = System.Text.Json.JsonEncodedText.Encode(file.Path).EncodedUtf8Bytes.Length;
            // Per hunk: its "path#hN" in hunks[] and again as the key of its 64-hex digest in hunkDigests.
            decisionSize += (file.Hunks.Count * ((2 * path) + 110L)) + path + 200;
        }

        if (stagedSize <= LedgerFormat.MaxEntryBytes && decisionSize <= LedgerFormat.MaxEntryBytes)
        {
            return null;
        }

        var hunks = staged.Files.Sum(f => f.Hunks.Count);
        return new RuntimeError(RuntimeErrorCode.ProposalTooLarge,
            $"The proposal is too large to record: {staged.Files.Count} file(s) and {hunks} hunk(s) need a ledger entry of about {Math.Max(stagedSize, decisionSize)} bytes, "
            + $"over the limit of {LedgerFormat.MaxEntryBytes} bytes per entry. Nothing was staged. Split it into smaller proposals, or send a heavily changed file as whole new content.");
    }

    private RuntimeError? CheckIntentShape(Intent intent)
    {
        if (intent.Files is null || intent.Files.Count == 0)
        {
            return new RuntimeError(RuntimeErrorCode.IntentInvalid, "The intent names no files; send at least one file change.");
        }

        if (intent.Files.Count > maxFilesPerIntent)
        {
            return new RuntimeError(RuntimeErrorCode.IntentInvalid, $"The intent names {intent.Files.Count} files; at most {maxFilesPerIntent} are allowed in one proposal. Split it.");
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

    /// <summary>A digest of what an intent asks for (paths, kinds, hashes of its contents) and the bytes of content it carries; never the content.</summary>
    private static (string Digest, long Bytes) RequestSummary(Intent intent)
    {
        using var hasher = Blake3.Hasher.New();
        long bytes = 0;
        hasher.Update(System.Text.Encoding.UTF8.GetBytes(intent.Nonce ?? ""));
        foreach (var file in intent.Files ?? [])
        {
            foreach (var text in new[] { file.Kind.ToString(), file.Path, file.FromPath, file.BaseHash, file.Content, file.ContentBase64, file.UnifiedDiff })
            {
                var encoded = System.Text.Encoding.UTF8.GetBytes(text ?? "\0");
                bytes += text is null ? 0 : encoded.Length;
                hasher.Update(BitConverter.GetBytes(encoded.Length));
                hasher.Update(encoded);
            }

            foreach (var edit in file.Edits ?? [])
            {
                var encoded = System.Text.Encoding.UTF8.GetBytes(edit.Search + "\0" + edit.Replace);
                bytes += encoded.Length;
                hasher.Update(encoded);
            }
        }

        var output = new byte[ContentHash.Size];
        hasher.Finalize(output);
        return (ContentHash.FromBytes(output).ToString(), bytes);
    }

    private static PolicyDecisionRecord ToRecord(PolicyTrace trace) => new(
        trace.PolicyHash,
        PolicyOutcomeNames.Name(trace.Outcome),
        [.. trace.Files.Select(f => new PolicyTraceRecord(f.Path, f.DecidedBy, PolicyOutcomeNames.Name(f.Outcome), f.NotMatched))]);
}
