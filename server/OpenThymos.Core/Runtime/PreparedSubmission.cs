// What a submission works out before it takes the runtime's lock, and what the lock must check again.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The read-only part of compiling an intent, done before the runtime's lock so that agents compile in
/// parallel: the checks of the intent alone, the policy file as loaded, the compiled files (read, hashed,
/// diffed) and the intent digest, the policy trace and the <c>proposal.staged</c> entry with its canonical
/// JSON. Under the lock <see cref="ThymosRuntime.Submit"/> uses it only if nothing it depends on changed:
/// none of <see cref="TouchedPaths"/> written by the runtime after <see cref="ApplierGeneration"/> (since the
/// files were read) and <see cref="EvaluatedWith"/> still the policy in force; otherwise it compiles or evaluates again.
/// </summary>
/// <param name="Paths">The paths the intent names, as recorded in a refusal.</param>
/// <param name="ProposalId">The id the proposal gets if it is staged.</param>
internal sealed record PreparedSubmission(IReadOnlyList<string> Paths, string ProposalId)
{
    /// <summary>A digest of the request (paths, kinds, contents), recorded if it is refused instead of its content.</summary>
    public string RequestDigest { get; init; } = "";

    /// <summary>The bytes of content the request carries, recorded if it is refused.</summary>
    public long RequestBytes { get; init; }

    /// <summary>Why the intent is malformed (checked first under the lock after the writ), or null.</summary>
    public RuntimeError? ShapeError { get; init; }

    /// <summary>Why a path it names is protected by a built-in rule, or null.</summary>
    public RuntimeError? ProtectedPathError { get; init; }

    /// <summary>The policy in force when the submission was compiled before the lock (the lock evaluates again if a human adopted another since).</summary>
    public WorkspacePolicy? LoadedPolicy { get; init; }

    /// <summary>The workspace paths the intent names (its files and rename sources), confined; what a write must touch to overtake the compile.</summary>
    public IReadOnlyList<string> TouchedPaths { get; init; } = [];

    /// <summary>The applier's generation read before the first file was read; -1 when nothing was compiled.</summary>
    public long ApplierGeneration { get; init; } = -1;

    /// <summary>Why a file did not compile, or null.</summary>
    public RuntimeError? CompileError { get; init; }

    /// <summary>The compiled files, in intent order.</summary>
    public IReadOnlyList<CompiledFile> Files { get; init; } = [];

    /// <summary>The intent digest of the compiled files (duplicate and nonce checks).</summary>
    public string Digest { get; init; } = "";

    /// <summary>The hash of the policy <see cref="Trace"/> was evaluated with, or null when not evaluated.</summary>
    public ContentHash? EvaluatedWith { get; init; }

    /// <summary>The policy's verdict on the compiled files.</summary>
    public PolicyTrace? Trace { get; init; }

    /// <summary>The <c>proposal.staged</c> entry to append (null when the policy denies or nothing was evaluated).</summary>
    public PendingEntry? Entry { get; init; }

    /// <summary>Why the proposal is too large to record (its staged entry, or the approval that would decide it, over the per-entry cap), or null.</summary>
    public RuntimeError? SizeError { get; init; }

    /// <summary>The base, result and hunk blobs to store with <see cref="Entry"/>.</summary>
    public IReadOnlyList<BlobWrite> Blobs { get; init; } = [];
}
