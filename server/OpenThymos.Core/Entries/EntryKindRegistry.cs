// The one list of entry kinds this version knows, each with its descriptor.
using System.Collections.Frozen;
using System.Text.Json;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using static OpenThymos.Core.Entries.ReferenceTarget;

namespace OpenThymos.Core.Entries;

/// <summary>
/// Every entry kind of ledger format version 1 with its <see cref="EntryKindDescriptor"/>, in the order of
/// docs/ledger-format.md. A new kind is added here once; <see cref="EntryKind.All"/>, verification's shape
/// and blob checks, the world fold, the timeline summaries and the wire parity test follow from it, and the
/// runtime fold's switch is held to it by a test.
/// </summary>
public static class EntryKindRegistry
{
    private static readonly LedgerJsonContext Json = LedgerJsonContext.Default;

    /// <summary>The descriptors, in format-document order.</summary>
    public static IReadOnlyList<EntryKindDescriptor> All { get; } =
    [
        new EntryKindDescriptor<Ledger.Payloads.GenesisPayload>(
            EntryKind.Genesis, Json.GenesisPayload, [],
            summarize: c => $"Ledger created for workspace {c.Text("workspaceId")}"),
        new EntryKindDescriptor<Ledger.Payloads.WritIssuedPayload>(
            EntryKind.WritIssued, Json.WritIssuedPayload, [new("writ.id", Writ), new("writ.parentId", Writ)],
            summarize: c =>
            {
                var writ = c.Root.GetProperty("writ");
                c.Agent ??= EntrySummaryContext.Text(writ, "agent");
                var include = writ.TryGetProperty("include", out var globs) && globs.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", globs.EnumerateArray().Select(g => g.GetString()))
                    : "";
                return $"Writ {EntrySummaryContext.Text(writ, "id")} issued to {EntrySummaryContext.Text(writ, "agent")} for [{include}]";
            }),
        new EntryKindDescriptor<Ledger.Payloads.WritRevokedPayload>(
            EntryKind.WritRevoked, Json.WritRevokedPayload, [new("writId", Writ), new("cascade[]", Writ)],
            summarize: c => $"Writ {c.Text("writId")} revoked: {c.Text("reason")}"),
        new EntryKindDescriptor<Ledger.Payloads.ProposalStagedPayload>(
            EntryKind.ProposalStaged, Json.ProposalStagedPayload,
            [new("proposalId", Proposal), new("writId", Writ), new("files[].baseHash", Blob), new("files[].resultHash", Blob), new("files[].hunksBlob", Blob)],
            blobs: p => p.Files.SelectMany(f => new[] { f.BaseHash, f.ResultHash, f.HunksBlob }),
            summaryPaths: "files[]",
            summarize: c => $"{c.Text("agent")} proposed {c.Count("files")} file(s) (revision {c.Root.GetProperty("revision").GetInt32()}): {c.Text("description")}"),
        new EntryKindDescriptor<Ledger.Payloads.ApprovalPayload>(
            EntryKind.Approval, Json.ApprovalPayload,
            [new("proposalId", Proposal), new("files[].before", Blob), new("files[].after", Blob)],
            blobs: p => p.Files.SelectMany(f => new[] { f.Before, f.After }),
            summaryPaths: "files[]",
            // A whole-file approval (a revert, a binary or whole-file change) names files, not hunks.
            summarize: c => c.Count("hunks") > 0
                ? $"{c.Text("approver")} approved {c.Count("hunks")} hunk(s) of {c.Text("proposalId")}"
                : $"{c.Text("approver")} approved {c.Count("files")} file(s) of {c.Text("proposalId")}"),
        new EntryKindDescriptor<Ledger.Payloads.RejectionPayload>(
            EntryKind.Rejection, Json.RejectionPayload, [new("proposalId", Proposal), new("writId", Writ)],
            summaryPaths: "paths[]",
            summarize: c =>
            {
                // An aggregate entry stands for several refused attempts (docs/ledger-format.md, Refused attempts).
                var times = c.Root.TryGetProperty("count", out var counted) && counted.ValueKind == JsonValueKind.Number && counted.GetInt64() > 1
                    ? $" ({counted.GetInt64()} attempts)"
                    : "";
                return c.Text("proposalId") is not { } proposalId
                    ? c.Text("reasonCode") == RejectionReason.SessionRefused
                        ? $"Session refused{times}: {c.Text("reason")}"
                        : $"Intent refused ({c.Text("reasonCode")}){times}: {c.Text("reason")}"
                    : $"Rejected {c.Count("hunks")} hunk(s) of {proposalId} ({c.Text("reasonCode")})";
            }),
        new EntryKindDescriptor<Ledger.Payloads.CommitPayload>(
            EntryKind.Commit, Json.CommitPayload,
            [new("proposalId", Proposal), new("writId", Writ), new("approvalSeq", Entry), new("files[].before", Blob), new("files[].after", Blob)],
            blobs: p => p.Files.SelectMany(f => new[] { f.Before, f.After }),
            world: WorldEffect.FileChanges,
            fileChanges: p => p.Files,
            summaryPaths: "files[]",
            summarize: c => $"Committed {c.Count("files")} file(s) of {c.Text("proposalId")}"),
        new EntryKindDescriptor<Ledger.Payloads.ExecutionFailedPayload>(
            EntryKind.ExecutionFailed, Json.ExecutionFailedPayload, [new("proposalId", Proposal), new("approvalSeq", Entry)],
            summarize: c => $"Applying {c.Text("proposalId")} failed ({c.Text("reasonCode")}): {c.Text("reason")}"),
        new EntryKindDescriptor<Ledger.Payloads.RevertPayload>(
            EntryKind.Revert, Json.RevertPayload,
            [new("reverts", Entry), new("approvalSeq", Entry), new("files[].before", Blob), new("files[].after", Blob)],
            blobs: p => p.Files.SelectMany(f => new[] { f.Before, f.After }),
            world: WorldEffect.FileChanges,
            fileChanges: p => p.Files,
            summaryPaths: "files[]",
            summarize: c => $"Reverted entry {c.Root.GetProperty("reverts").GetInt64()}: {c.Text("reason")}"),
        new EntryKindDescriptor<Ledger.Payloads.ExternalChangeObservedPayload>(
            EntryKind.ExternalChangeObserved, Json.ExternalChangeObservedPayload,
            [new("observed", Blob), new("proposalId", Proposal)],
            blobs: p => [p.Observed],
            world: WorldEffect.ObservedChange,
            summaryPaths: "path",
            summarize: c => $"External change to {c.Text("path")} observed"),
        new EntryKindDescriptor<Ledger.Payloads.PolicyChangedPayload>(
            EntryKind.PolicyChanged, Json.PolicyChangedPayload, [new("hash", Blob)],
            blobs: p => [p.Hash],
            summarize: c => $"Policy changed ({c.Text("source")})"),
        new EntryKindDescriptor<Ledger.Payloads.RollbackAcceptedPayload>(
            EntryKind.RollbackAccepted, Json.RollbackAcceptedPayload, [new("recordedSeq", Entry), new("headSeq", Entry)]),
    ];

    private static readonly FrozenDictionary<string, EntryKindDescriptor> ByName = All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Every kind name this version knows.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The descriptor of <paramref name="kind"/>, or null for a kind this version does not know.</summary>
    public static EntryKindDescriptor? Find(string kind) => ByName.GetValueOrDefault(kind);
}
