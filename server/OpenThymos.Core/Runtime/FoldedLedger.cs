// The workspace ledger and the state folded from it, kept in step: every entry staged is folded at once.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime.State;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The runtime's view of its ledger under the lock. <see cref="Append(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite}?)"/>
/// stages entries (they get their seq now, in lock order) and folds them into <see cref="State"/> at once, so the next
/// operation sees them; <see cref="ThymosRuntime"/> waits for them to be durable after releasing the lock. It notes the
/// proposals each entry changed, for the façade to announce once they are durable. Not thread-safe: used under the lock
/// (and at open, before anyone else can see the runtime).
/// </summary>
internal sealed class FoldedLedger
{
    private readonly List<string> _changedProposals = [];

    public FoldedLedger(WorkspaceLedger ledger)
    {
        Ledger = ledger;
        State = new RuntimeState(LedgerLookup.Of(ledger));
    }

    /// <summary>The workspace ledger.</summary>
    public WorkspaceLedger Ledger { get; }

    /// <summary>The fold of every entry staged so far; replaced when it is folded again after a rollback.</summary>
    public RuntimeState State { get; private set; }

    /// <summary>Folds every entry of the ledger (at open).</summary>
    public void FoldAll()
    {
        foreach (var entry in Ledger.Read())
        {
            State.Apply(entry);
        }
    }

    /// <summary>
    /// Stages entries (they get their seq now, in lock order) and folds them into the state; the caller holds the lock
    /// and the façade waits for durability before anything is acknowledged.
    /// </summary>
    public IReadOnlyList<LedgerEntry> Append(IReadOnlyList<PendingEntry> entries, IReadOnlyList<BlobWrite>? blobs = null) =>
        Append(_ => entries, blobs);

    /// <summary>As <see cref="Append(IReadOnlyList{PendingEntry}, IReadOnlyList{BlobWrite}?)"/>, for entries that name the seq of the first of them (an approval and its commit).</summary>
    public IReadOnlyList<LedgerEntry> Append(Func<long, IReadOnlyList<PendingEntry>> entriesFromFirstSeq, IReadOnlyList<BlobWrite>? blobs = null)
    {
        var staged = Ledger.Stage(entriesFromFirstSeq, blobs ?? []);
        foreach (var entry in staged)
        {
            // The fold names the proposal the entry is about, so the payload is decoded once, not twice.
            if (State.Apply(entry) is { } proposalId)
            {
                _changedProposals.Add(proposalId);
            }
        }

        return staged;
    }

    /// <summary>The proposals changed since the last call (each once), and forgets them.</summary>
    public string[] TakeChangedProposals()
    {
        string[] changed = [.. _changedProposals.Distinct(StringComparer.Ordinal)];
        _changedProposals.Clear();
        return changed;
    }

    /// <summary>Forgets the proposals noted as changed (an operation that failed announces nothing).</summary>
    public void ForgetChangedProposals() => _changedProposals.Clear();

    /// <summary>
    /// After a rolled-back write the state may hold entries the ledger does not: fold it again from the durable
    /// entries (under the lock, before any operation sees it) and let the ledger stage again. A long ledger takes as
    /// long as opening it; rollbacks are rare (a store that refused a transaction).
    /// </summary>
    public void FoldAgainAfterRollback()
    {
        if (!Ledger.RollbackPending)
        {
            return;
        }

        var state = new RuntimeState(LedgerLookup.Of(Ledger));
        foreach (var entry in Ledger.Read())
        {
            state.Apply(entry);
        }

        State = state;
        _changedProposals.Clear();
        Ledger.AcknowledgeRollback();
    }

    /// <summary>A blob the ledger must hold; its absence is damage that verify reports.</summary>
    public byte[] ReadBlobOrThrow(string hash) =>
        Ledger.ReadBlob(ContentHash.Parse(hash))
            ?? throw new InvalidDataException($"The ledger lacks blob {hash[..12]} needed to finish an interrupted apply. Run verify; restore the ledger from a backup if blobs are missing.");
}
