// The policy in force and how the policy file on disk compares, for the editor's policy notice.
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

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
