// Builds long ledgers quickly: one real propose/approve/commit cycle through the runtime, then copies of it.
using System.Globalization;
using OpenThymos.Core.Ledger;

namespace OpenThymos.Bench.Ledgers;

/// <summary>
/// A ledger of a given length made of typical cycles (proposal.staged, proposal.approved, commit).
/// The first cycle is made by the real runtime; the rest copy its payloads with a fresh proposal id,
/// nonce, path and approval seq, and are appended through <see cref="WorkspaceLedger"/> in large
/// batches, so every entry is hashed, chained and stored exactly as the runtime would store it and
/// verify finds nothing wrong. Batching only speeds up the building; the measurements read the file.
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

        using var ledger = WorkspaceLedger.Open(workspace.LedgerOptions);
        const int CyclesPerBatch = 2000;
        var cycle = 0L;
        while (ledger.Head.Seq < entries)
        {
            var batch = new List<PendingEntry>(CyclesPerBatch * 3);
            var nextSeq = ledger.Head.Seq + 1;
            for (var index = 0; index < CyclesPerBatch && ledger.Head.Seq + batch.Count < entries; index++, cycle++)
            {
                var proposalId = "p_" + cycle.ToString("x16", CultureInfo.InvariantCulture);
                var path = $"src/file{cycle % FileCount:D3}.txt";
                var approvalSeq = nextSeq + batch.Count + 1;
                batch.Add(PendingEntry.Of(EntryKind.ProposalStaged, stagedActor, staged with
                {
                    ProposalId = proposalId,
                    Nonce = "n" + cycle.ToString(CultureInfo.InvariantCulture),
                    IntentDigest = cycle.ToString("x64", CultureInfo.InvariantCulture),
                    Files = [.. staged.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.ProposalStagedPayload));
                batch.Add(PendingEntry.Of(EntryKind.Approval, approvalEntry.Actor, approval with
                {
                    ProposalId = proposalId,
                    Hunks = [.. approval.Hunks.Select(hunk => path + hunk[hunk.IndexOf('#')..])],
                    Files = [.. approval.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.ApprovalPayload));
                batch.Add(PendingEntry.Of(EntryKind.Commit, commitEntry.Actor, commit with
                {
                    ProposalId = proposalId,
                    ApprovalSeq = approvalSeq,
                    Hunks = [.. commit.Hunks.Select(hunk => path + hunk[hunk.IndexOf('#')..])],
                    Files = [.. commit.Files.Select(file => file with { Path = path })],
                }, LedgerJsonContext.Default.CommitPayload));
            }

            ledger.AppendMany(batch, []);
        }

        // A writer seals full runs of entries into segments in the background; the sidecar has done so
        // long before a ledger is this long, so measure the file as it leaves it, not mid-way.
        ((LiteDbLedgerStore)ledger.Store).SealCompleteSegments();
        return workspace;
    }
}
