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
    /// Reading, hashing and diffing the files, the digest, the policy trace and the payload's JSON need
    /// no runtime state, so they are done before the lock (agents compile in parallel); under the lock
    /// only what other operations can change is checked again (<see cref="StagePrepared"/>).
    /// </summary>
    public SubmitResult Submit(AgentSession session, Intent intent)
    {
        var prepared = Prepare(session, intent);
        for (var attempt = 1; ; attempt++)
        {
            BeforeSubmissionLock?.Invoke();
            var lastAttempt = attempt >= AttemptsOutsideTheLock;
            SubmitResult? result;
            ChangedProposal? changedUnderneath = null;
            try
            {
                result = Run(() => StagePrepared(session, intent, prepared, lastAttempt, out changedUnderneath));
            }
            catch (LedgerWriteRolledBackException exception)
            {
                // The store rolled the transaction back: nothing of the submission is in the ledger, and the state was
                // folded again from what is. The attempt is refused, and the refusal is recorded like any other.
                var error = new RuntimeError(RuntimeErrorCode.LedgerWriteFailed,
                    $"The submission was not recorded: {exception.Message} Send it again; if it keeps failing, check the disk holding .thymos/ledger.db.");
                try
                {
                    Run(() => Refuse(session, prepared, error));
                }
                catch (LedgerWriteRolledBackException)
                {
                    // The store refuses this write too; the caller still gets the refusal.
                }

                return new SubmitResult(SubmitOutcome.Refused, null, error);
            }

            if (changedUnderneath is not null)
            {
                // The files changed on disk between the compile and the auto-approval: rebase outside the lock, as an approval does.
                var decision = RebaseChangedUnderneath(result!.Decision!, changedUnderneath);
                return result with { Error = decision.Error, Decision = decision };
            }

            if (result is not null)
            {
                return result;
            }

            // An approval or revert wrote one of this intent's files after they were read: compile again, outside the lock.
            prepared = Compile(session, intent, prepared, prepared.LoadedPolicy);
        }
    }

    /// <summary>Test hook: runs after a submission compiled its intent and before it takes the lock.</summary>
    internal Action? BeforeSubmissionLock { get; set; }

    /// <summary>The lock-free part of <see cref="Submit"/>: what the intent alone decides, the policy file, the compiled files and the staged entry.</summary>
    private PreparedSubmission Prepare(AgentSession session, Intent intent)
    {
        var (digest, bytes) = RequestSummary(intent);
        var prepared = new PreparedSubmission(intent.Files?.Select(f => f.Path ?? "").ToList() ?? [], NewId("p_")) { RequestDigest = digest, RequestBytes = bytes };
        var shapeError = CheckIntentShape(intent);
        if (shapeError is not null)
        {
            return prepared with { ShapeError = shapeError };
        }

        // Protected paths are refused before the file system is consulted, so agents cannot even probe them.
        var touched = new List<string>();
        foreach (var candidate in intent.Files!.SelectMany(f => new[] { f.Path, f.FromPath }).OfType<string>())
        {
            var (confined, _) = _compiler.Confine(candidate);
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
        var policy = Policy;
        return Compile(session, intent, prepared with { LoadedPolicy = policy, TouchedPaths = touched }, policy);
    }

    /// <summary>
    /// The part of <see cref="Submit"/> under the lock: the checks in their documented order, each against
    /// the state as it is now (writ revoked or expired, policy in force, nonce, pending duplicates, budget),
    /// then the staging. Compiled files are used only if none of the intent's paths was written through the
    /// applier since they were read; otherwise this returns null so that the caller compiles again outside the
    /// lock, or, on the <paramref name="lastAttempt"/>, refuses the intent as stale. Nothing is compiled here: an
    /// auto-approval that finds the files changed on disk returns <paramref name="changedUnderneath"/> to rebase outside the lock.
    /// </summary>
    private SubmitResult? StagePrepared(AgentSession session, Intent intent, PreparedSubmission prepared, bool lastAttempt, out ChangedProposal? changedUnderneath)
    {
        changedUnderneath = null;
        var paths = prepared.Paths;
        if (!_state.Writs.TryGetValue(session.WritId, out var writ))
        {
            return Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.WritUnknown, $"Writ '{session.WritId}' was never issued in this workspace. Ask the user to grant access again."));
        }

        var writError = CheckWritUsable(writ);
        if (writError is not null)
        {
            return Refuse(session, prepared, writError);
        }

        if (prepared.ShapeError is not null)
        {
            return Refuse(session, prepared, prepared.ShapeError);
        }

        if (_policyError is not null)
        {
            return Refuse(session, prepared, _policyError);
        }

        if (prepared.ProtectedPathError is not null)
        {
            return Refuse(session, prepared, prepared.ProtectedPathError);
        }

        if (_applier.LastWriteTo(prepared.TouchedPaths) > prepared.ApplierGeneration)
        {
            // An approval or revert wrote this intent's files after they were read: what was compiled may be stale.
            if (!lastAttempt)
            {
                return null;
            }

            var written = prepared.TouchedPaths.Where(p => _applier.LastWriteTo([p]) > prepared.ApplierGeneration).Select(p => "'" + p + "'");
            return Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.StaleBase,
                $"{string.Join(", ", written)} kept being written by approvals while this intent was compiled ({AttemptsOutsideTheLock} times). "
                + "Nothing was staged; read the file(s) again and submit anew."));
        }

        if (prepared.CompileError is not null)
        {
            return Refuse(session, prepared, prepared.CompileError);
        }

        var nonceUse = _state.NonceUse(writ.Id, intent.Nonce);
        if (nonceUse is not null)
        {
            return nonceUse.Value.Digest == prepared.Digest
                ? new SubmitResult(SubmitOutcome.Duplicate, nonceUse.Value.ProposalId)
                : Refuse(session, prepared, new RuntimeError(RuntimeErrorCode.ReplayedNonce,
                    $"Nonce '{intent.Nonce}' was already used under writ '{writ.Id}' for a different change. Send each new intent with a fresh nonce."));
        }

        var duplicate = _state.PendingDuplicate(session.Agent, prepared.Digest);
        if (duplicate is not null)
        {
            return new SubmitResult(SubmitOutcome.Duplicate, duplicate.Id);
        }

        // The budget is checked against the usage folded so far, under the lock, so concurrent submissions never overspend it.
        var authorityError = CheckWritAuthority(writ, prepared.Files);
        if (authorityError is not null)
        {
            return Refuse(session, prepared, authorityError);
        }

        if (prepared.EvaluatedWith != _policy.Hash)
        {
            prepared = Evaluate(session, intent, prepared, _policy);
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

        Append([prepared.Entry!], prepared.Blobs);
        if (trace.Outcome == PolicyOutcome.AutoApprove)
        {
            var rules = string.Join("+", trace.Files.Select(f => f.DecidedBy).Distinct());
            var decision = ApproveLocked(new ApproveRequest(prepared.ProposalId, 1, "policy:" + rules, HunkSelection.All), out var changed);
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
    private PreparedSubmission Compile(AgentSession session, Intent intent, PreparedSubmission prepared, WorkspacePolicy? policy)
    {
        var generation = _applier.Generation;
        var files = new List<CompiledFile>();
        foreach (var file in intent.Files!)
        {
            var (result, error) = _compiler.Compile(file);
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

    /// <summary>
    /// Ledgers an intent that was refused before it reached <see cref="Submit"/> (over the size cap, unreadable on the
    /// wire, or with invalid params): every refused submission leaves a rejection, whichever layer refused it.
    /// </summary>
    public void RecordRefusedIntent(AgentSession session, IReadOnlyList<string> paths, RuntimeError error) =>
        Run(() => Refuse(session, paths, error, ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", [error.Message, .. paths]))).ToString(), null));

    /// <summary>
    /// Ledgers every repeat of a refusal counted in an open window now, as aggregate entries (the editor calls it
    /// before it reads the ledger, so what a reviewer sees accounts for every refused attempt so far).
    /// </summary>
    public void FlushRefusals() => Run(() => CloseRefusalWindows((_, _) => true));

    /// <summary>An agent session ended (its connection closed): its open refusal windows are ledgered now.</summary>
    public void EndSession(AgentSession session)
    {
        var scope = ScopeOf(session);
        Run(() => CloseRefusalWindows((key, _) => key.Scope == scope));
    }

    private SubmitResult Refuse(AgentSession session, PreparedSubmission prepared, RuntimeError error) =>
        Refuse(session, prepared.Paths, error, prepared.RequestDigest, prepared.RequestBytes);

    private SubmitResult Refuse(AgentSession session, IReadOnlyList<string> paths, RuntimeError error, string digest, long? requestBytes)
    {
        var code = error.Code switch
        {
            RuntimeErrorCode.PathRefused => RejectionReason.PathRefused,
            RuntimeErrorCode.WritRefused or RuntimeErrorCode.WritUnknown => RejectionReason.WritRefused,
            RuntimeErrorCode.WritRevoked => RejectionReason.WritRevoked,
            RuntimeErrorCode.PolicyDenied => RejectionReason.PolicyDenied,
            RuntimeErrorCode.ReplayedNonce => RejectionReason.ReplayedNonce,
            RuntimeErrorCode.StaleBase => RejectionReason.StaleBase,
            RuntimeErrorCode.ProposalTooLarge => RejectionReason.TooLarge,
            RuntimeErrorCode.LedgerWriteFailed => RejectionReason.LedgerWriteFailed,
            _ => RejectionReason.IntentInvalid,
        };
        LedgerRefusal(new RefusalKey(ScopeOf(session), code, error.Code), error.Message, session.Agent, session.WritId, paths, digest, requestBytes);
        return new SubmitResult(SubmitOutcome.Refused, null, error);
    }

    /// <summary>The most paths a refusal entry records (the rest are counted in <c>pathCount</c>).</summary>
    private const int MaxRecordedPaths = 8;

    /// <summary>The most characters a refusal entry records of a path or of the reason.</summary>
    private const int MaxRecordedChars = 512;

    /// <summary>
    /// Ledgers an attempt refused before anything was staged as a bounded summary (reason code, a truncated reason,
    /// at most <see cref="MaxRecordedPaths"/> paths, sizes and a digest; never the request's content), through the
    /// refusal windows: the first of its key in a window is an entry now, repeats are counted into one aggregate entry.
    /// </summary>
    private void LedgerRefusal(RefusalKey key, string reason, string? agent, string? writId, IReadOnlyList<string> paths, string digest, long? requestBytes)
    {
        var now = _options.Ledger.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        CloseRefusalWindows((_, endsMs) => endsMs <= now);
        var recorded = paths.Take(MaxRecordedPaths).Select(p => Printable(p, MaxRecordedChars)).ToList();
        var summary = new RejectionPayload(null, 0, [], key.ReasonCode, Printable(reason, MaxRecordedChars), agent is null ? null : Printable(agent, MaxRecordedChars),
            writId is null ? null : Printable(writId, MaxRecordedChars), recorded, CurrentPolicyHash,
            Digest: digest, RequestBytes: requestBytes, PathCount: paths.Count > recorded.Count ? paths.Count : null);
        if (_refusals.Count(key, now, (long)_options.RefusalWindow.TotalMilliseconds, digest, summary))
        {
            Append([PendingEntry.Of(EntryKind.Rejection, "runtime", summary, LedgerJsonContext.Default.RejectionPayload)]);
        }
    }

    /// <summary>Closes the refusal windows <paramref name="which"/> selects and ledgers their aggregates; under the lock.</summary>
    private int CloseRefusalWindows(Func<RefusalKey, long, bool> which)
    {
        var aggregates = _refusals.Close(which);
        if (aggregates.Count > 0)
        {
            Append([.. aggregates.Select(a => PendingEntry.Of(EntryKind.Rejection, "runtime", a, LedgerJsonContext.Default.RejectionPayload))]);
        }

        return aggregates.Count;
    }

    /// <summary>Closes the windows that ended, on the runtime's timer, so a burst that stops is still ledgered within about two windows.</summary>
    private void OnRefusalTimer()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            Run(() =>
            {
                var now = _options.Ledger.Clock.GetUtcNow().ToUnixTimeMilliseconds();
                return _refusals.OpenCount == 0 ? 0 : CloseRefusalWindows((_, endsMs) => endsMs <= now);
            });
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            // The runtime is closing or the ledger refused the write; the next refusal, session end or stop tries again.
        }
    }

    private static string ScopeOf(AgentSession session) => "session:" + session.WritId + "/" + session.Session;

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

    /// <summary>Text from agents may hold anything; keep what is recorded printable and bounded.</summary>
    private static string Printable(string text, int maxChars)
    {
        var cleaned = new string([.. text.Take(maxChars).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c)]);
        return text.Length > maxChars ? cleaned + "…" : cleaned;
    }

    /// <summary>Paths from agents may hold anything; keep what is recorded printable and bounded.</summary>
    private static string Printable(string path) => Printable(path, MaxRecordedChars);

    internal static string IntentDigest(string agent, IReadOnlyList<CompiledFile> files)
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
