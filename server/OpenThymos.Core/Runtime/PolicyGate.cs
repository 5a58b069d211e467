// The policy in force: the one the ledger recorded last; a file changed on disk governs only once a human adopts it.
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Runtime.State;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The policy in force is always the text stored as the blob of the last <c>policy.changed</c> entry, never
/// <c>.thymos/policy.json</c> as it is now: an agent with a shell (or a proposal through a linked file) can write
/// that file, so a change there is only reported ("changed on disk, not in force") until a human adopts it with
/// <see cref="ThymosRuntime.AdoptPolicy"/>, naming the hash of the text they reviewed; the adoption is a <c>policy.changed</c>
/// entry with the human as actor, durable before the new policy decides anything. On the first open of a
/// workspace (no policy recorded yet) the file found, or the built-in default, is recorded as the initial policy:
/// whoever created the folder's policy before the ledger existed had the folder. Used under the runtime's lock,
/// except <see cref="Status"/>, which reads the file without it.
/// </summary>
internal sealed class PolicyGate(FoldedLedger folded, WorkspaceDirectory workspace)
{
    /// <summary>The policy in force.</summary>
    public WorkspacePolicy InForce { get; private set; } = WorkspacePolicy.Default;

    /// <summary>Why the recorded policy does not load (agents are then refused and nothing is auto-approved), or null.</summary>
    public RuntimeError? LoadError { get; private set; }

    /// <summary>The hash of the policy in force, as every decision records it.</summary>
    public string CurrentHash => folded.State.PolicyHash ?? InForce.Hash.ToString();

    /// <summary>
    /// At open: takes the policy in force from the ledger's last <c>policy.changed</c> blob, or, when the ledger has
    /// none yet (a new workspace), records the policy file found (or the built-in default, if there is no file or it
    /// does not load) as the initial policy.
    /// </summary>
    public void LoadRecorded()
    {
        var state = folded.State;
        if (state.PolicyHash is null)
        {
            var (loaded, bytes, _) = ReadOnDisk();
            if (loaded is null)
            {
                loaded = WorkspacePolicy.Default;
                bytes = System.Text.Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText);
            }

            Record(loaded, bytes!, "runtime");
            return;
        }

        var text = folded.Ledger.ReadBlob(ContentHash.Parse(state.PolicyHash));
        try
        {
            InForce = text is null
                ? throw new PolicyLoadException("ledger", 0, 0, $"the text of the recorded policy {ShortHash(state.PolicyHash)} is missing from the ledger")
                : WorkspacePolicy.Parse(text, $"policy {ShortHash(state.PolicyHash)} recorded in the ledger");
            LoadError = null;
        }
        catch (PolicyLoadException exception)
        {
            // Nothing is auto-approved and agents are refused until the ledger is repaired or a human adopts a policy.
            InForce = WorkspacePolicy.Default;
            LoadError = new RuntimeError(RuntimeErrorCode.PolicyInvalid,
                $"{exception.Message}. Run 'thymos verify' to see what damaged the ledger, then review .thymos/policy.json and adopt it ('thymos policy adopt').");
        }
    }

    /// <summary>
    /// Makes the policy file as it is on disk the policy in force, if its hash is <paramref name="reviewedHash"/>; the
    /// refusal otherwise (the file does not load, changed since the review, or already governs).
    /// </summary>
    public RuntimeError? Adopt(string reviewedHash, string actor)
    {
        var (loaded, bytes, loadError) = ReadOnDisk();
        if (loadError is not null)
        {
            return new RuntimeError(RuntimeErrorCode.PolicyInvalid, $"{loadError} Nothing was adopted; the recorded policy {ShortHash(CurrentHash)} stays in force.");
        }

        var hash = loaded!.Hash.ToString();
        if (!string.Equals(hash, reviewedHash, StringComparison.Ordinal))
        {
            return new RuntimeError(RuntimeErrorCode.PolicyNotAsReviewed,
                $"The policy file {WorkspacePolicy.RelativePath} is not the text you reviewed (you reviewed {ShortHash(reviewedHash)}, it is now {ShortHash(hash)}): it changed since. Review it again and adopt what you see; the recorded policy {ShortHash(CurrentHash)} stays in force.");
        }

        if (string.Equals(hash, folded.State.PolicyHash, StringComparison.Ordinal))
        {
            return new RuntimeError(RuntimeErrorCode.PolicyNotAsReviewed, $"The policy file {WorkspacePolicy.RelativePath} ({ShortHash(hash)}) is already the policy in force; there is nothing to adopt.");
        }

        Record(loaded, bytes!, actor);
        return null;
    }

    /// <summary>
    /// The policy in force (<paramref name="policy"/> with <paramref name="recordedHash"/>, read under the lock by the
    /// caller) and how the file on disk compares; reads the ledger's blob and the file without the lock.
    /// </summary>
    public PolicyStatus Status(WorkspacePolicy policy, string recordedHash)
    {
        var recordedText = folded.Ledger.ReadBlob(ContentHash.Parse(recordedHash)) is { } recorded ? recorded : System.Text.Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText);
        var (onDisk, diskBytes, diskError) = ReadOnDisk();
        var differs = onDisk is not null && !string.Equals(onDisk.Hash.ToString(), recordedHash, StringComparison.Ordinal);
        string? notice = null;
        if (differs)
        {
            notice = $"The policy file {WorkspacePolicy.RelativePath} changed on disk ({ShortHash(onDisk!.Hash.ToString())}) and is not in force; the recorded policy {ShortHash(recordedHash)} governs until a human reviews the change and adopts it (OpenThymos: Review and Adopt Policy, or 'thymos policy adopt {onDisk.Hash}').";
        }
        else if (diskError is not null)
        {
            notice = $"{diskError} It is not in force; the recorded policy {ShortHash(recordedHash)} governs.";
        }

        return new PolicyStatus(
            policy,
            recordedHash,
            recordedText,
            differs ? onDisk!.Hash.ToString() : null,
            differs ? diskBytes : null,
            onDisk is null ? null : onDisk.SourcePath is null ? "default" : "file",
            diskError,
            notice);
    }

    /// <summary>Why the policy in force now denies the files of <paramref name="keys"/> (checked again at approval), or null.</summary>
    public RuntimeError? DeniedNow(ProposalState proposal, IReadOnlyList<string> keys)
    {
        if (LoadError is not null)
        {
            return null;
        }

        var changes = keys.Select(k => HunkKey.Split(k).Path).Distinct()
            .Select(path => proposal.Files[path].Record)
            .SelectMany(r => r.FromPath is null
                ? new[] { new FileChange(r.Path, IntentCompiler.ParseEffect(r.Effect), r.ChangedLines, 0) }
                : [new FileChange(r.FromPath, Writs.Effects.Rename, 0, 0), new FileChange(r.Path, Writs.Effects.Rename, 0, 0)])
            .ToList();
        var trace = PolicyEvaluator.Evaluate(InForce, changes);
        if (trace.Outcome != PolicyOutcome.Deny)
        {
            return null;
        }

        var denied = trace.Files.First(f => f.Outcome == PolicyOutcome.Deny);
        return new RuntimeError(RuntimeErrorCode.PolicyDenied, $"The workspace policy now denies changing '{denied.Path}' (rule {denied.DecidedBy}); the proposal was rejected.");
    }

    /// <summary>Appends the <c>policy.changed</c> entry for a policy and makes it the one in force.</summary>
    private void Record(WorkspacePolicy policy, byte[] text, string actor)
    {
        var hash = policy.Hash.ToString();
        folded.Append(
            [PendingEntry.Of(EntryKind.PolicyChanged, actor, new PolicyChangedPayload(folded.State.PolicyHash, hash, policy.SourcePath is null ? "default" : "file"), LedgerJsonContext.Default.PolicyChangedPayload)],
            [new BlobWrite(policy.Hash, text)]);
        InForce = policy;
        LoadError = null;
    }

    /// <summary>The policy file as it is on disk (the built-in default when there is none), its exact bytes, or why it does not load.</summary>
    private (WorkspacePolicy? Policy, byte[]? Bytes, string? Error) ReadOnDisk()
    {
        try
        {
            var loaded = WorkspacePolicy.Load(workspace);
            if (loaded.SourcePath is null)
            {
                return (loaded, System.Text.Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText), null);
            }

            // The bytes the policy was parsed from, read once through the workspace handle without following a link.
            return (loaded, loaded.SourceBytes, null);
        }
        catch (PolicyLoadException exception)
        {
            return (null, null, exception.Message);
        }
        catch (IOException exception)
        {
            return (null, null, $"The policy file {WorkspacePolicy.RelativePath} cannot be read ({exception.Message}).");
        }
        catch (UnauthorizedAccessException exception)
        {
            return (null, null, $"The policy file {WorkspacePolicy.RelativePath} cannot be read ({exception.Message}).");
        }
    }

    private static string ShortHash(string hash) => hash.Length > 19 ? hash[..19] : hash;
}
