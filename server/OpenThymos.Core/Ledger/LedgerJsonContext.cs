// Source-generated System.Text.Json metadata for ledger payloads (no reflection, AOT-friendly).
using System.Text.Json.Serialization;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Ledger;

/// <summary>Serialization metadata for every payload type; canonical bytes are produced by <see cref="CanonicalJson"/>.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(GenesisPayload))]
[JsonSerializable(typeof(WritIssuedPayload))]
[JsonSerializable(typeof(WritRevokedPayload))]
[JsonSerializable(typeof(ProposalStagedPayload))]
[JsonSerializable(typeof(ApprovalPayload))]
[JsonSerializable(typeof(RejectionPayload))]
[JsonSerializable(typeof(CommitPayload))]
[JsonSerializable(typeof(ExecutionFailedPayload))]
[JsonSerializable(typeof(RevertPayload))]
[JsonSerializable(typeof(ExternalChangeObservedPayload))]
[JsonSerializable(typeof(PolicyChangedPayload))]
[JsonSerializable(typeof(RollbackAcceptedPayload))]
[JsonSerializable(typeof(HunkListBlob))]
[JsonSerializable(typeof(LedgerHolder))]
[JsonSerializable(typeof(HeadAnchor))]
[JsonSerializable(typeof(WorkspaceFolderBinding))]
public sealed partial class LedgerJsonContext : JsonSerializerContext;
