// The outcome of compiling one file intent: the ledger record, the bytes involved and what the policy sees.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;

namespace OpenThymos.Core.Runtime;

/// <summary>A file intent compiled against the current disk state.</summary>
/// <param name="Record">The file as it will be staged.</param>
/// <param name="Blobs">Base and result bytes to store with the staging entry.</param>
/// <param name="PolicyChanges">The change(s) the policy evaluates (a rename yields the old and the new path).</param>
/// <param name="AddedBytes">Bytes added, as counted against the writ's byte budget.</param>
public sealed record CompiledFile(ProposalFileRecord Record, IReadOnlyList<BlobWrite> Blobs, IReadOnlyList<FileChange> PolicyChanges, long AddedBytes);
