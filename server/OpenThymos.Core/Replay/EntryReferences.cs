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
            EntryKind.ProposalStaged => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload).Files.SelectMany(f => new[] { f.BaseHash, f.ResultHash }),
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
    public static string? ShapeError(LedgerEntry entry)
    {
        try
        {
            object? payload = entry.Kind switch
            {
                EntryKind.Genesis => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.GenesisPayload),
                EntryKind.WritIssued => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritIssuedPayload),
                EntryKind.WritRevoked => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.WritRevokedPayload),
                EntryKind.ProposalStaged => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ProposalStagedPayload),
                EntryKind.Approval => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ApprovalPayload),
                EntryKind.Rejection => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload),
                EntryKind.Commit => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.CommitPayload),
                EntryKind.ExecutionFailed => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExecutionFailedPayload),
                EntryKind.Revert => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RevertPayload),
                EntryKind.ExternalChangeObserved => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.ExternalChangeObservedPayload),
                EntryKind.PolicyChanged => WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.PolicyChangedPayload),
                _ => null,
            };
            _ = BlobsOf(entry).ToList();
            return payload is null ? $"kind '{entry.Kind}' has no known payload shape" : null;
        }
        catch (Exception exception)
        {
            return exception.Message;
        }
    }
}
