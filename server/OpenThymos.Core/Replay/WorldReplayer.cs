// Replay: fold commits into the world, rebuild any file at any seq, and compare the world with the disk.
using System.Runtime.ExceptionServices;
using OpenThymos.Core.Apply;
using OpenThymos.Core.Entries;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Replay;

/// <summary>
/// Replays a ledger from its entries alone. The result depends only on the entries and blobs, never
/// on the storage backend or the machine, so the same ledger yields the same world everywhere.
/// </summary>
public static class WorldReplayer
{
    /// <summary>Entries read and decoded together; a batch's payloads are decoded on every core.</summary>
    private const int BatchSize = 4096;

    /// <summary>Below this many entries a batch is decoded on the calling thread alone.</summary>
    private const int ParallelFrom = 512;

    /// <summary>Folds the ledger from genesis up to and including <paramref name="toSeq"/>.</summary>
    public static World Replay(ILedgerStore store, long toSeq = long.MaxValue, IProgress<LedgerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var fold = new WorldFold();
        var total = Math.Min(toSeq, store.MaxSeq());
        long seq = 0;

        // One thread reads the next batch while every core decodes the payloads of this one; the
        // changes are then applied in seq order, so the world is the same as a one-entry-at-a-time fold.
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        foreach (var batch in ReadAhead.Of(store.ReadRange(LedgerFormat.GenesisSeq, toSeq).Chunk(BatchSize), batch => batch.Length == BatchSize))
        {
            var decoded = new (IReadOnlyList<FileChangeRecord>? Changes, ExternalChangeObservedPayload? Observed, ExceptionDispatchInfo? Failure)[batch.Length];
            if (batch.Length < ParallelFrom)
            {
                for (var index = 0; index < batch.Length; index++)
                {
                    decoded[index] = WorldFold.Decode(batch[index]);
                }
            }
            else
            {
                Parallel.For(0, batch.Length, parallel, index => decoded[index] = WorldFold.Decode(batch[index]));
            }

            for (var index = 0; index < batch.Length; index++)
            {
                var entry = batch[index];
                cancellationToken.ThrowIfCancellationRequested();
                seq = entry.Seq;
                if (seq % 1024 == 0)
                {
                    progress?.Report(new LedgerProgress(seq, total));
                }

                var (changes, observed, failure) = decoded[index];

                // A malformed payload fails the fold at its own entry, as a one-at-a-time fold would.
                failure?.Throw();
                fold.Apply(entry, changes, observed);
            }
        }

        progress?.Report(new LedgerProgress(seq, total));
        return fold.ToWorld();
    }

    /// <summary>
    /// The exact bytes of <paramref name="path"/> as of <paramref name="seq"/>, from ledger blobs;
    /// null when the ledger's commits left it absent (or never touched it) at that point.
    /// It gives what <see cref="Replay"/> would give for that path, but reads backwards from
    /// <paramref name="seq"/> to the last commit or revert that touched the path, so its cost
    /// depends on how long ago the file last changed, not on the length of the ledger.
    /// </summary>
    public static byte[]? RebuildFile(ILedgerStore store, string path, long seq)
    {
        const int Window = 256;
        var upper = Math.Min(seq, store.MaxSeq());
        while (upper >= LedgerFormat.GenesisSeq)
        {
            var lower = Math.Max(LedgerFormat.GenesisSeq, upper - Window + 1);
            var page = store.ReadRange(lower, upper).ToList();
            for (var index = page.Count - 1; index >= 0; index--)
            {
                // The fold takes the last record of a path within an entry, so search each entry from its end too.
                var change = FileChangesOf(page[index])?.LastOrDefault(c => c.Path == path);
                if (change is not null)
                {
                    return change.After is null
                        ? null
                        : store.ReadBlob(ContentHash.Parse(change.After))
                            ?? throw new InvalidDataException($"The ledger lacks blob {change.After[..12]} for '{path}' at entry {seq}. Run verify.");
                }
            }

            upper = lower - 1;
        }

        return null;
    }

    /// <summary>The file changes a commit or revert applied; null for every other kind.</summary>
    internal static IReadOnlyList<FileChangeRecord>? FileChangesOf(LedgerEntry entry) =>
        EntryKindRegistry.Find(entry.Kind) is { World: WorldEffect.FileChanges } && PayloadScan.TryScan(entry.Kind, entry.Payload, wantChanges: true, out _, out var changes)
            ? changes
            : FileChangesTyped(entry);

    /// <summary><see cref="FileChangesOf"/> by typed deserialization alone (the scan's reference, and its fallback).</summary>
    internal static IReadOnlyList<FileChangeRecord>? FileChangesTyped(LedgerEntry entry) =>
        EntryKindRegistry.Find(entry.Kind) is { World: WorldEffect.FileChanges } descriptor ? descriptor.FileChanges(descriptor.Deserialize(entry)) : null;

    /// <summary>
    /// Compares the ledger's last known state of every file it tracks with the disk. Files the
    /// ledger never touched are not its business and are not reported.
    /// </summary>
    /// <remarks>
    /// A file left by a stopped process at a state a commit after the applied-through mark started from is reported as
    /// <see cref="DriftKind.PendingRedo"/> (see <see cref="PendingRedoStates"/>), not as changed outside the ledger.
    /// </remarks>
    public static DriftReport Drift(ILedgerStore store, string workspaceRoot, CancellationToken cancellationToken = default)
    {
        using var workspace = new WorkspaceDirectory(workspaceRoot);
        return Drift(Replay(store, cancellationToken: cancellationToken), workspace, PendingRedoStates(store, workspace), cancellationToken);
    }

    /// <summary>Compares a world already folded (by <see cref="Replay"/> or <see cref="LedgerVerifier.VerifyAndReplay"/>) with the disk.</summary>
    public static DriftReport Drift(World world, string workspaceRoot, CancellationToken cancellationToken = default)
    {
        using var workspace = new WorkspaceDirectory(workspaceRoot);
        return Drift(world, workspace, null, cancellationToken);
    }

    /// <summary>
    /// Per path, the states recovery would redo from: for every commit and revert after the workspace's applied-through mark
    /// (<c>.thymos/applied-through</c>), the file's before state, and the after states of earlier such changes to the same
    /// path. The same rule as recovery's (<c>CommitRecovery.RedoCommitsAfterMark</c>): a file at one of these states is a
    /// change the ledger holds durably but the disk does not have yet. Empty when there is no mark or it is at the head.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string?>> PendingRedoStates(ILedgerStore store, WorkspaceDirectory workspace)
    {
        ArgumentNullException.ThrowIfNull(store);
        var states = new Dictionary<string, IReadOnlySet<string?>>(StringComparer.Ordinal);
        var mark = DeferredFileSync.ReadMark(workspace);
        var head = store.MaxSeq();
        if (mark is null || mark >= head)
        {
            return states;
        }

        var newestAfter = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var seq = mark.Value + 1; seq <= head; seq++)
        {
            var entry = store.Read(seq);
            if (entry is null || FileChangesOf(entry) is not { } changes)
            {
                continue;
            }

            foreach (var change in changes)
            {
                var from = states.TryGetValue(change.Path, out var known) ? (HashSet<string?>)known : [];
                if (newestAfter.TryGetValue(change.Path, out var earlierAfter))
                {
                    // An earlier change's after state is one recovery redoes from too; the newest one's is what it writes.
                    from.Add(earlierAfter);
                }

                from.Add(change.Before);
                states[change.Path] = from;
                newestAfter[change.Path] = change.After;
            }
        }

        return states;
    }

    /// <summary>
    /// Compares a world with the disk, reading every file through the workspace handle without following links: a
    /// link (or anything but a regular file) where the ledger has a file is drift of its own kind, never the content
    /// behind it.
    /// </summary>
    public static DriftReport Drift(World world, WorkspaceDirectory workspace, CancellationToken cancellationToken = default) =>
        Drift(world, workspace, null, cancellationToken);

    private static DriftReport Drift(World world, WorkspaceDirectory workspace, IReadOnlyDictionary<string, IReadOnlySet<string?>>? pendingRedo, CancellationToken cancellationToken)
    {
        var items = new List<DriftItem>();
        foreach (var (path, expected) in world.LastKnown)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Whatever its size: drift runs outside the runtime's lock, and a file over the limit is still reported by its hash.
            var (found, hash) = workspace.HashFile(path, null, out _);
            var actual = hash?.ToString();
            if (found is WorkspaceEntryKind.RegularFile or WorkspaceEntryKind.Missing && actual == expected)
            {
                continue;
            }

            var kind = (found is WorkspaceEntryKind.RegularFile or WorkspaceEntryKind.Missing) && pendingRedo is not null && pendingRedo.TryGetValue(path, out var redoFrom) && redoFrom.Contains(actual)
                ? DriftKind.PendingRedo
                : (found, expected, actual) switch
                {
                    (not (WorkspaceEntryKind.RegularFile or WorkspaceEntryKind.Missing), _, _) => DriftKind.NotARegularFile,
                    (_, not null, null) => DriftKind.Missing,
                    (_, null, not null) => DriftKind.Unexpected,
                    _ => DriftKind.ChangedOutsideLedger,
                };
            items.Add(new DriftItem(path, kind, expected, actual, world.LastTouchedBy[path]));
        }

        return new DriftReport(world.Seq, items);
    }
}
