// Policy governance: the policy in force is the one the ledger recorded; a file changed on disk governs only once a human adopts it.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The policy in force is always the text stored as the blob of the last <c>policy.changed</c> entry, never
/// <c>.thymos/policy.json</c> as it is now: an agent with a shell (or a proposal through a linked file) can write
/// that file, so a change there is only reported ("changed on disk, not in force") until a human adopts it with
/// <see cref="AdoptPolicy"/>, naming the hash of the text they reviewed; the adoption is a <c>policy.changed</c>
/// entry with the human as actor, durable before the new policy decides anything. On the first open of a
/// workspace (no policy recorded yet) the file found, or the built-in default, is recorded as the initial policy:
/// whoever created the folder's policy before the ledger existed had the folder.
/// </summary>
public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Makes the policy file as it is on disk the policy in force, if its hash is the one the human reviewed
    /// (<paramref name="reviewedHash"/>): records a <c>policy.changed</c> entry with <paramref name="actor"/> and
    /// the text as its blob. Refused when the file does not load, when it changed since the review, or when it
    /// already governs.
    /// </summary>
    public (PolicyStatus? Status, RuntimeError? Error) AdoptPolicy(string reviewedHash, string actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewedHash);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var error = Run(() =>
        {
            var (loaded, bytes, loadError) = ReadPolicyOnDisk();
            if (loadError is not null)
            {
                return new RuntimeError(RuntimeErrorCode.PolicyInvalid, $"{loadError} Nothing was adopted; the recorded policy {ShortHash(CurrentPolicyHash)} stays in force.");
            }

            var hash = loaded!.Hash.ToString();
            if (!string.Equals(hash, reviewedHash, StringComparison.Ordinal))
            {
                return new RuntimeError(RuntimeErrorCode.PolicyNotAsReviewed,
                    $"The policy file {WorkspacePolicy.RelativePath} is not the text you reviewed (you reviewed {ShortHash(reviewedHash)}, it is now {ShortHash(hash)}): it changed since. Review it again and adopt what you see; the recorded policy {ShortHash(CurrentPolicyHash)} stays in force.");
            }

            if (string.Equals(hash, _state.PolicyHash, StringComparison.Ordinal))
            {
                return new RuntimeError(RuntimeErrorCode.PolicyNotAsReviewed, $"The policy file {WorkspacePolicy.RelativePath} ({ShortHash(hash)}) is already the policy in force; there is nothing to adopt.");
            }

            RecordPolicy(loaded, bytes!, actor);
            return null;
        });
        return error is null ? (GetPolicyStatus(), null) : (null, error);
    }

    /// <summary>
    /// The policy in force (recorded in the ledger, with its text) and how the file on disk compares: its hash and
    /// text when it differs from the policy in force, or its load error. Reads the file without the runtime's lock.
    /// </summary>
    public PolicyStatus GetPolicyStatus()
    {
        WorkspacePolicy policy;
        string recordedHash;
        lock (_gate)
        {
            policy = _policy;
            recordedHash = CurrentPolicyHash;
        }

        var recordedText = _ledger.ReadBlob(ContentHash.Parse(recordedHash)) is { } recorded ? recorded : System.Text.Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText);
        var (onDisk, diskBytes, diskError) = ReadPolicyOnDisk();
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

    /// <summary>
    /// At open: takes the policy in force from the ledger's last <c>policy.changed</c> blob, or, when the ledger has
    /// none yet (a new workspace), records the policy file found (or the built-in default, if there is no file or it
    /// does not load) as the initial policy. Caller holds the lock.
    /// </summary>
    private void LoadRecordedPolicy()
    {
        if (_state.PolicyHash is null)
        {
            var (loaded, bytes, _) = ReadPolicyOnDisk();
            if (loaded is null)
            {
                loaded = WorkspacePolicy.Default;
                bytes = System.Text.Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText);
            }

            RecordPolicy(loaded, bytes!, "runtime");
            return;
        }

        var text = _ledger.ReadBlob(ContentHash.Parse(_state.PolicyHash));
        try
        {
            _policy = text is null
                ? throw new PolicyLoadException("ledger", 0, 0, $"the text of the recorded policy {ShortHash(_state.PolicyHash)} is missing from the ledger")
                : WorkspacePolicy.Parse(text, $"policy {ShortHash(_state.PolicyHash)} recorded in the ledger");
            _policyError = null;
        }
        catch (PolicyLoadException exception)
        {
            // Nothing is auto-approved and agents are refused until the ledger is repaired or a human adopts a policy.
            _policy = WorkspacePolicy.Default;
            _policyError = new RuntimeError(RuntimeErrorCode.PolicyInvalid,
                $"{exception.Message}. Run 'thymos verify' to see what damaged the ledger, then review .thymos/policy.json and adopt it ('thymos policy adopt').");
        }
    }

    /// <summary>Appends the <c>policy.changed</c> entry for a policy and makes it the one in force. Caller holds the lock.</summary>
    private void RecordPolicy(WorkspacePolicy policy, byte[] text, string actor)
    {
        var hash = policy.Hash.ToString();
        Append(
            [PendingEntry.Of(EntryKind.PolicyChanged, actor, new PolicyChangedPayload(_state.PolicyHash, hash, policy.SourcePath is null ? "default" : "file"), LedgerJsonContext.Default.PolicyChangedPayload)],
            [new BlobWrite(policy.Hash, text)]);
        _policy = policy;
        _policyError = null;
    }

    /// <summary>The policy file as it is on disk (the built-in default when there is none), its exact bytes, or why it does not load.</summary>
    private (WorkspacePolicy? Policy, byte[]? Bytes, string? Error) ReadPolicyOnDisk()
    {
        try
        {
            var loaded = WorkspacePolicy.Load(Workspace);
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

/// <summary>The policy in force and how the policy file on disk compares (see <see cref="ThymosRuntime.GetPolicyStatus"/>).</summary>
/// <param name="InForce">The policy that decides: the one the ledger recorded last.</param>
/// <param name="Hash">Its hash.</param>
/// <param name="Text">Its exact text, from the ledger.</param>
/// <param name="DiskHash">The hash of the file on disk when it differs from the policy in force (not in force until adopted); else null.</param>
/// <param name="DiskText">That file's exact bytes when it differs; else null.</param>
/// <param name="DiskSource"><c>file</c>, <c>default</c> (no file), or null when the file does not load.</param>
/// <param name="DiskError">Why the file on disk does not load, or null.</param>
/// <param name="Notice">A sentence for the reviewer when the file on disk is not what governs, or null.</param>
public sealed record PolicyStatus(
    WorkspacePolicy InForce,
    string Hash,
    byte[] Text,
    string? DiskHash,
    byte[]? DiskText,
    string? DiskSource,
    string? DiskError,
    string? Notice);
