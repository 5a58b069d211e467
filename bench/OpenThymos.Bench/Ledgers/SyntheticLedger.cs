// Builds long ledgers quickly: one real propose/approve/commit cycle through the runtime, then copies of it.
using System.Globalization;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Bench.Ledgers;

/// <summary>
/// A ledger of a given length made of typical cycles (proposal.staged, proposal.approved, commit).
/// The first cycle is made by the real runtime; the rest copy its payloads with a fresh proposal id,
/// nonce, path and approval seq, are hashed and chained here, and are written through the store's
/// append path and its bulk path for sealed entry blocks (the storage format a writer leaves after its
/// background sealing), so verify finds nothing wrong. Only the building is faster; the measurements read the file.
/// </summary>
internal static class SyntheticLedger
{
    /// <summary>Number of distinct files the copied cycles touch (the world has this many files).</summary>
    public const int FileCount = 100;

    /// <summary>Creates a workspace under <paramref name="root"/> whose ledger holds at least <paramref name="entries"/> entries.</summary>
    public static BenchWorkspace Build(string root, long entries)
    {
        var workspace = BenchWorkspace.Open(root);
        Directory.CreateDirectory(Path.Combine(workspace.WorkspaceRoot, "src"));
        workspace.Write("src/file000.txt", string.Concat(Enumerable.Range(1, 40).Select(line => $"line {line} of a typical source file\n")));
        var stagedSeq = workspace.Runtime!.Ledger.Head.Seq + 1;
        workspace.ApproveAll(workspace.StageEdit("src/file000.txt", "line 20 of", "line twenty of"));
        var templates = workspace.Runtime.Ledger.Read(stagedSeq, long.MaxValue).ToList();
        workspace.CloseRuntime();

        var staged = WorkspaceLedger.Deserialize(templates.Single(e => e.Kind == EntryKind.ProposalStaged), LedgerJsonContext.Default.ProposalStagedPayload);
        var approvalEntry = templates.Single(e => e.Kind == EntryKind.Approval);
        var approval = WorkspaceLedger.Deserialize(approvalEntry, LedgerJsonContext.Default.ApprovalPayload);
        var commitEntry = templates.Single(e => e.Kind == EntryKind.Commit);
        var commit = WorkspaceLedger.Deserialize(commitEntry, LedgerJsonContext.Default.CommitPayload);
        var stagedActor = templates.Single(e => e.Kind == EntryKind.ProposalStaged).Actor;

        // The copies are chained and hashed here, then written straight into the store: the entries
        // up to the next entry-block boundary as single documents (the append path), then whole runs as
        // sealed entry blocks (the store's bulk path, the same documents its background sealer writes),
        // then the rest as single documents again. Writing each entry once instead of as a document
        // and then again in its entry block is what makes a 1M-entry ledger quick to build; the file is
        // exactly what a writer that appended and sealed them would have left, and the verify suite
        // checks every entry of it before it reports a figure.
        using var store = LiteDbLedgerStore.OpenForWriting(workspace.LedgerPath, "OpenThymos bench (synthetic ledger)");
        var head = store.ReadLast() ?? throw new InvalidOperationException("The bench ledger has no entries after its first cycle.");
        var genesis = WorkspaceLedger.Deserialize(store.Read(1)!, LedgerJsonContext.Default.GenesisPayload);
        var copies = Copies(head, entries, staged, stagedActor, approvalEntry, approval, commitEntry, commit).GetEnumerator();
        List<LedgerEntry> Take(long count)
        {
            var taken = new List<LedgerEntry>((int)count);
            while (taken.Count < count && copies.MoveNext())
            {
                taken.Add(copies.Current);
            }

            return taken;
        }

        var toBoundary = (EntryBlock.Size - (head.Seq % EntryBlock.Size)) % EntryBlock.Size;
        var last = head;
        if (head.Seq + toBoundary < entries)
        {
            last = AppendSingle(store, Take(toBoundary)) ?? last;
            store.SealCompleteBlocks();
            const int RunsPerTransaction = 16;
            while (entries - last.Seq >= EntryBlock.Size)
            {
                var runs = Math.Min(RunsPerTransaction, (entries - last.Seq) / EntryBlock.Size);
                var bulk = Take(runs * EntryBlock.Size);
                store.AppendBlocks(bulk);
                last = bulk[^1];
            }
        }

        last = AppendSingle(store, Take(entries - last.Seq)) ?? last;

        // A writer closing cleanly leaves the signed head anchor at its head; so does this one, and verify checks it.
        HeadAnchor.Write(workspace.KeyDirectory, WorkspaceKey.LoadOrCreate(workspace.KeyDirectory, genesis.WorkspaceId), genesis.WorkspaceId, last.Seq, last.Hash.ToString());
        return workspace;
    }

    private static LedgerEntry? AppendSingle(LiteDbLedgerStore store, List<LedgerEntry> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        store.Append(entries, []);
        return entries[^1];
    }

    /// <summary>Copies of the template cycle, chained after <paramref name="head"/>, up to seq <paramref name="entries"/>.</summary>
    private static IEnumerable<LedgerEntry> Copies(
        LedgerEntry head, long entries, ProposalStagedPayload staged, string stagedActor,
        LedgerEntry approvalEntry, ApprovalPayload approval, LedgerEntry commitEntry, CommitPayload commit)
    {
        var parent = head;
        var cycle = 0L;
        var time = head.TimeUnixMilliseconds;
        while (parent.Seq < entries)
        {
            var proposalId = "p_" + cycle.ToString("x16", CultureInfo.InvariantCulture);
            var path = $"src/file{cycle % FileCount:D3}.txt";
            var approvalSeq = parent.Seq + 2;
            var cycleEntries = new (string Kind, string Actor, byte[] Payload)[]
            {
                (EntryKind.ProposalStaged, stagedActor, WorkspaceLedger.Serialize(staged with
                {
                    ProposalId = proposalId,
                    Nonce = "n" + cycle.ToString(CultureInfo.InvariantCulture),
                    IntentDigest = cycle.ToString("x64", CultureInfo.InvariantCulture),
                    Files = [.. staged.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.ProposalStagedPayload)),
                (EntryKind.Approval, approvalEntry.Actor, WorkspaceLedger.Serialize(approval with
                {
                    ProposalId = proposalId,
                    Hunks = [.. approval.Hunks.Select(hunk => path + hunk[hunk.IndexOf('#')..])],
                    Files = [.. approval.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.ApprovalPayload)),
                (EntryKind.Commit, commitEntry.Actor, WorkspaceLedger.Serialize(commit with
                {
                    ProposalId = proposalId,
                    ApprovalSeq = approvalSeq,
                    Hunks = [.. commit.Hunks.Select(hunk => path + hunk[hunk.IndexOf('#')..])],
                    Files = [.. commit.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.CommitPayload)),
            };
            foreach (var (kind, actor, payload) in cycleEntries)
            {
                if (parent.Seq >= entries)
                {
                    yield break;
                }

                var entry = LedgerEntry.Create(parent.Seq + 1, kind, parent.Hash, time, actor, payload);
                yield return entry;
                parent = entry;
            }

            cycle++;
            time++;
        }
    }
}
