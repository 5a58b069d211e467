// Which blobs an entry refers to, by kind; used by verification and replay.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Replay;

/// <summary>Lists the content hashes an entry's payload names, so that their blobs can be checked.</summary>
public static class EntryReferences
{
    /// <summary>The blob hashes referenced by an entry (deserializes the payload; throws on a malformed one).</summary>
    public static IEnumerable<ContentHash> BlobsOf(LedgerEntry entry)
    {
        IEnumerable<string?> hashes = entry.Kind switch
        {
            EntryKind.Commit => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload).Files.SelectMany(f => new[] { f.Before, f.After }),
            EntryKind.Revert => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload).Files.SelectMany(f => new[] { f.Before, f.After }),
            EntryKind.ProposalStaged => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload).Files.SelectMany(f => new[] { f.BaseHash, f.ResultHash, f.HunksBlob }),
            EntryKind.Approval => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ApprovalPayload).Files.SelectMany(f => new[] { f.Before, f.After }),
            EntryKind.ExternalChangeObserved => new[] { WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExternalChangeObservedPayload).Observed },
            EntryKind.PolicyChanged => new[] { WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload).Hash },
            _ => [],
        };
        foreach (var text in hashes)
        {
            if (text is not null)
            {
                yield return ContentHash.Parse(text);
            }
        }
    }

    /// <summary>Checks that the payload deserializes as its kind's type; returns an error message or null.</summary>
    public static string? ShapeError(LedgerEntry entry) => Inspect(entry, out _);

    /// <summary>
    /// Checks the payload's shape and lists the blobs it references with one deserialization (verify
    /// needs both for every entry); returns an error message, or null with <paramref name="blobs"/> set.
    /// </summary>
    public static string? Inspect(LedgerEntry entry, out IReadOnlyList<ContentHash> blobs)
    {
        // The scan answers for the busiest kinds when the payload is certainly well-formed; every
        // other case (and every error message) comes from the typed deserialization below.
        if (PayloadScan.TryScan(entry.Kind, entry.Payload, wantChanges: false, out blobs, out _))
        {
            return null;
        }

        return InspectTyped(entry, out blobs);
    }

    /// <summary>
    /// <see cref="Inspect"/> by typed deserialization alone: the reference the scan is held to
    /// (<c>PayloadScanEquivalenceTests</c>).
    /// </summary>
    internal static string? InspectTyped(LedgerEntry entry, out IReadOnlyList<ContentHash> blobs)
    {
        blobs = [];
        try
        {
            IEnumerable<string?> hashes = [];
            object? payload;
            switch (entry.Kind)
            {
                case EntryKind.Genesis: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.GenesisPayload); break;
                case EntryKind.WritIssued: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritIssuedPayload); break;
                case EntryKind.WritRevoked: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritRevokedPayload); break;
                case EntryKind.ProposalStaged:
                    var staged = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload);
                    (payload, hashes) = (staged, staged.Files.SelectMany(f => new[] { f.BaseHash, f.ResultHash, f.HunksBlob }));
                    break;
                case EntryKind.Approval:
                    var approval = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ApprovalPayload);
                    (payload, hashes) = (approval, approval.Files.SelectMany(f => new[] { f.Before, f.After }));
                    break;
                case EntryKind.Rejection: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload); break;
                case EntryKind.Commit:
                    var commit = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload);
                    (payload, hashes) = (commit, commit.Files.SelectMany(f => new[] { f.Before, f.After }));
                    break;
                case EntryKind.ExecutionFailed: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExecutionFailedPayload); break;
                case EntryKind.Revert:
                    var revert = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload);
                    (payload, hashes) = (revert, revert.Files.SelectMany(f => new[] { f.Before, f.After }));
                    break;
                case EntryKind.ExternalChangeObserved:
                    var observed = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExternalChangeObservedPayload);
                    (payload, hashes) = (observed, [observed.Observed]);
                    break;
                case EntryKind.PolicyChanged:
                    var policy = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload);
                    (payload, hashes) = (policy, [policy.Hash]);
                    break;
                case EntryKind.RollbackAccepted: payload = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RollbackAcceptedPayload); break;
                default: payload = null; break;
            }

            if (payload is null)
            {
                return $"kind '{entry.Kind}' has no known payload shape";
            }

            blobs = [.. hashes.Where(text => text is not null).Select(text => ContentHash.Parse(text!))];
            return null;
        }
        catch (Exception exception)
        {
            return exception.Message;
        }
    }
}
