// Verification of a ledger: every hash, seq, parent link, payload, signature, blob and the head anchor.
using System.Runtime.ExceptionServices;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Storage;

namespace OpenThymos.Core.Replay;

/// <summary>
/// Recomputes and cross-checks everything in a ledger. It returns every problem it finds and never
/// throws on a corrupt ledger (only <see cref="OperationCanceledException"/> when cancelled).
/// </summary>
public static class LedgerVerifier
{
    private const int PageSize = 512;

    /// <summary>Entries read and checked together; the per-entry checks of a batch run on every core.</summary>
    private const int BatchSize = 4096;

    /// <summary>Below this many entries a batch is checked on the calling thread alone: spreading it costs more than it saves.</summary>
    private const int ParallelFrom = 512;

    /// <summary>Opens the ledger file read-only in the default backend and verifies it; an unopenable file is reported as a problem.</summary>
    public static VerificationResult VerifyFile(string ledgerPath, string? keyDirectory, IProgress<LedgerProgress>? progress = null, CancellationToken cancellationToken = default) =>
        VerifyAt(LedgerStores.Default, ledgerPath, keyDirectory, progress, cancellationToken);

    /// <summary>
    /// Opens the ledger at <paramref name="ledgerPath"/> read-only through <paramref name="stores"/> and verifies it; an
    /// unopenable ledger is reported as a problem. <paramref name="stores"/> also opens other folders' ledgers to tell a copied workspace.
    /// </summary>
    public static VerificationResult VerifyAt(ILedgerStoreFactory stores, string ledgerPath, string? keyDirectory, IProgress<LedgerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ILedgerStore store;
        try
        {
            store = stores.OpenReadOnly(ledgerPath);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new VerificationResult(0, 0, 0, null, false,
                [new VerificationProblem(null, VerificationProblemCode.Unreadable, $"The ledger '{ledgerPath}' cannot be opened: {exception.Message}")]);
        }

        using (store)
        {
            return Run(store, keyDirectory, null, progress, stores, cancellationToken);
        }
    }

    /// <summary>
    /// Verifies the entries and blobs in a store; other folders' ledgers, opened to tell a copied workspace, are opened
    /// through <paramref name="stores"/> (the default backend when none is given).
    /// </summary>
    public static VerificationResult Verify(ILedgerStore store, string? keyDirectory, IProgress<LedgerProgress>? progress = null, ILedgerStoreFactory? stores = null, CancellationToken cancellationToken = default) =>
        Run(store, keyDirectory, null, progress, stores ?? LedgerStores.Default, cancellationToken);

    /// <summary>
    /// Verifies the store and folds its world in the same pass over the entries, for callers that want
    /// both (the editor's "Replay Ledger" verifies, replays and reports drift): reading and decoding a long
    /// ledger once instead of twice. The world is what <see cref="WorldReplayer.Replay"/> gives at the last
    /// entry verified; it is null when verification found any problem, because a world folded from a ledger
    /// that does not verify is not one to trust (<see cref="WorldReplayer.Replay"/> still folds such a ledger
    /// up to its first unreadable payload, for whoever asks for it knowingly).
    /// </summary>
    public static (VerificationResult Result, World? World) VerifyAndReplay(ILedgerStore store, string? keyDirectory, IProgress<LedgerProgress>? progress = null, ILedgerStoreFactory? stores = null, CancellationToken cancellationToken = default)
    {
        var fold = new WorldFold();
        var result = Run(store, keyDirectory, fold, progress, stores ?? LedgerStores.Default, cancellationToken);
        return (result, result.Problems.Count == 0 && !fold.Incomplete && fold.Seq == result.HeadSeq ? fold.ToWorld() : null);
    }

    /// <summary>
    /// Checks a run of entries on its own, without a store: that they follow each other from <paramref name="firstSeq"/>
    /// with no gap, that the first names <paramref name="startParent"/> and each later one its predecessor's hash, that
    /// every hash, kind and payload is valid, and that every writ issued is signed by <paramref name="signerKey"/> (a genesis
    /// in the run names the signer from there on). Blobs, the head anchor and the store's indexes are not checked (that is
    /// <see cref="Verify"/>'s work over a whole store). Returns every problem; never throws on a damaged entry.
    /// </summary>
    /// <param name="entries">The entries in the order they are claimed to follow each other.</param>
    /// <param name="firstSeq">The seq the first entry must have.</param>
    /// <param name="startParent">The hash of entry <paramref name="firstSeq"/> − 1 (<see cref="ContentHash.Zero"/> before the genesis).</param>
    /// <param name="signerKey">The workspace public key (hex) writs must be signed with; null to skip signatures until a genesis names one.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    public static VerificationResult VerifyRange(IEnumerable<LedgerEntry> entries, long firstSeq, ContentHash startParent, string? signerKey, CancellationToken cancellationToken = default)
    {
        var chain = new LedgerChainCheck(firstSeq, startParent, signerKey);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chain.Check(entry);
        }

        return new VerificationResult(chain.EntriesChecked, 0, chain.Last?.Seq ?? 0, chain.Last?.Hash.ToString(), false, [.. chain.Problems]);
    }

    private static VerificationResult Run(ILedgerStore store, string? keyDirectory, WorldFold? fold, IProgress<LedgerProgress>? progress, ILedgerStoreFactory stores, CancellationToken cancellationToken)
    {
        var problems = new List<VerificationProblem>();
        long total;
        try
        {
            total = store.Count();
        }
        catch (Exception exception)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.Unreadable, $"The ledger '{store.Location}' cannot be read: {exception.Message}"));
            return new VerificationResult(0, 0, 0, null, false, problems);
        }

        var checkedBlobs = new Dictionary<ContentHash, bool>();
        var chain = new LedgerChainCheck(problems);
        void CheckReferencedBlob(ContentHash hash, long seq)
        {
            if (!checkedBlobs.TryGetValue(hash, out var good))
            {
                good = CheckBlob(store, hash, seq, problems);
                checkedBlobs[hash] = good;
            }
        }

        long entriesChecked = 0;
        var readProblems = new List<VerificationProblem>();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };

        // Three stages overlap: one thread reads the next batch, every core runs the per-entry checks
        // that depend on the entry alone (hash, kind, canonical JSON, shape, blob references), and
        // this thread then walks the batch in seq order for everything that links entries (seq,
        // parent, genesis, writ signatures, blobs), reporting problems in the same order as one pass.
        foreach (var batch in ReadAhead.Of(ReadInBatches(store, readProblems), batch => batch.Count == BatchSize))
        {
            var checks = new EntryCheck?[batch.Count];
            var changes = fold is null ? null : new (IReadOnlyList<FileChangeRecord>? Changes, ExternalChangeObservedPayload? Observed, ExceptionDispatchInfo? Failure)[batch.Count];
            void CheckOne(int index)
            {
                if (batch[index].Entry is { } entry)
                {
                    checks[index] = EntryCheck.Of(entry);
                    if (changes is not null)
                    {
                        changes[index] = WorldFold.Decode(entry);
                    }
                }
            }

            if (batch.Count < ParallelFrom)
            {
                for (var index = 0; index < batch.Count; index++)
                {
                    CheckOne(index);
                }
            }
            else
            {
                Parallel.For(0, batch.Count, parallel, CheckOne);
            }
            for (var index = 0; index < batch.Count; index++)
            {
                var (storedSeq, entry, readError) = batch[index];
                cancellationToken.ThrowIfCancellationRequested();
                entriesChecked++;
                if (entriesChecked % PageSize == 0)
                {
                    progress?.Report(new LedgerProgress(entriesChecked, total));
                }

                chain.Check(storedSeq, entry, readError, checks[index], CheckReferencedBlob);
                if (entry is null)
                {
                    continue;
                }

                if (fold is not null)
                {
                    if (changes![index].Failure is null)
                    {
                        fold.Apply(entry, changes[index].Changes, changes[index].Observed);
                    }
                    else
                    {
                        fold.Skip(entry); // the world is then incomplete and is not returned
                    }
                }
            }
        }

        var previous = chain.Last;
        var genesis = chain.Genesis;

        // Reading reports only a ledger it cannot start to read, before any entry.
        problems.InsertRange(0, readProblems);
        progress?.Report(new LedgerProgress(entriesChecked, total));
        if (entriesChecked == 0)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.GenesisInvalid, $"The ledger '{store.Location}' has no entries, not even a genesis."));
        }

        CheckWhatTheStoreListsBeyondTheChain(store, total, entriesChecked, previous, checkedBlobs, problems);
        var anchorChecked = false;
        if (genesis is not null && keyDirectory is not null)
        {
            anchorChecked = CheckAnchor(store, keyDirectory, genesis, previous, stores, problems);
        }

        return new VerificationResult(entriesChecked, checkedBlobs.Count, previous?.Seq ?? 0, previous?.Hash.ToString(), anchorChecked, problems);
    }

    /// <summary>
    /// Reads what the store gives back other than the chain read by seq: the list of every blob (each one not yet
    /// checked is read and hashed), the entry count and the last entry. The chain and the referenced blobs are read
    /// by key; these are read by walking the store's indexes whole, a different path through the file, so a flipped
    /// bit on that path (a link between index nodes, a blob no entry references) would otherwise leave verify
    /// reporting an intact ledger while the store reads back something else or fails. The count and the last entry
    /// are compared only when nothing else was found (any other problem already explains a difference) and
    /// nothing was appended while verifying.
    /// </summary>
    private static void CheckWhatTheStoreListsBeyondTheChain(ILedgerStore store, long total, long entriesChecked, LedgerEntry? last, Dictionary<ContentHash, bool> checkedBlobs, List<VerificationProblem> problems)
    {
        List<ContentHash> listed;
        try
        {
            listed = [.. store.ListBlobs()];
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.Unreadable,
                $"The list of blobs in the ledger '{store.Location}' cannot be read ({exception.Message}): the file is damaged. Restore the ledger from a backup."));
            return;
        }

        var seen = new HashSet<ContentHash>();
        foreach (var hash in listed)
        {
            if (!seen.Add(hash) || hash == ContentHash.Zero)
            {
                problems.Add(new VerificationProblem(null, VerificationProblemCode.BlobCorrupt,
                    $"The list of blobs in the ledger '{store.Location}' holds {(hash == ContentHash.Zero ? "an id that is not a content hash" : $"blob {hash.ToShortString()} twice")}: the file is damaged. Restore the ledger from a backup."));
                continue;
            }

            if (!checkedBlobs.ContainsKey(hash))
            {
                checkedBlobs[hash] = CheckUnreferencedBlob(store, hash, problems);
            }
        }

        foreach (var (hash, _) in checkedBlobs.Where(pair => pair.Value && !seen.Contains(pair.Key)))
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.BlobCorrupt,
                $"Blob {hash.ToShortString()} can be read by its id but is not in the ledger's list of blobs in '{store.Location}': the blob index is damaged. Restore the ledger from a backup."));
        }

        // A ledger appended to while it was verified (a live sidecar's) counts more now than it did at the start;
        // what was read then is not comparable with the count or the last entry, and the next verify compares them.
        long totalNow;
        try
        {
            totalNow = store.Count();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            totalNow = -1;
        }

        if (problems.Count > 0 || totalNow != total)
        {
            return;
        }

        if (total != entriesChecked)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.Unreadable,
                $"The ledger '{store.Location}' counts {total} entries but {entriesChecked} were read in seq order: its index is damaged. Restore the ledger from a backup."));
            return;
        }

        LedgerEntry? storedLast;
        try
        {
            storedLast = store.ReadLast();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.Unreadable,
                $"The last entry of the ledger '{store.Location}' cannot be read ({exception.Message}): the file is damaged. Restore the ledger from a backup."));
            return;
        }

        if (storedLast?.Seq != last?.Seq || storedLast?.Hash != last?.Hash)
        {
            problems.Add(new VerificationProblem(last?.Seq, VerificationProblemCode.Unreadable,
                $"The ledger '{store.Location}' gives entry {storedLast?.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} as its last, but reading in seq order ends at entry {last?.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: its index is damaged. Restore the ledger from a backup."));
        }
    }

    /// <summary>Reads and hashes a blob the store lists but no entry references; true when it is whole.</summary>
    private static bool CheckUnreferencedBlob(ILedgerStore store, ContentHash hash, List<VerificationProblem> problems)
    {
        string? wrong;
        try
        {
            var content = store.ReadBlob(hash);
            wrong = content is null ? "is listed but cannot be found by its id"
                : ContentHash.Of(content) != hash ? "does not hash to its id: its bytes were changed"
                : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            wrong = $"cannot be read ({exception.Message})";
        }

        if (wrong is null)
        {
            return true;
        }

        problems.Add(new VerificationProblem(null, VerificationProblemCode.BlobCorrupt,
            $"Blob {hash.ToShortString()} in the ledger '{store.Location}', referenced by no entry, {wrong}. Restore the ledger from a backup."));
        return false;
    }

    internal static bool CheckBlob(ILedgerStore store, ContentHash hash, long seq, List<VerificationProblem> problems)
    {
        byte[]? content;
        try
        {
            content = store.ReadBlob(hash);
        }
        catch (Exception exception)
        {
            problems.Add(new VerificationProblem(seq, VerificationProblemCode.BlobCorrupt, $"Blob {hash.ToShortString()} referenced by entry {seq} cannot be read: {exception.Message}"));
            return false;
        }

        if (content is null)
        {
            problems.Add(new VerificationProblem(seq, VerificationProblemCode.BlobMissing, $"Blob {hash.ToShortString()} referenced by entry {seq} is missing, so that file version cannot be rebuilt."));
            return false;
        }

        if (ContentHash.Of(content) != hash)
        {
            problems.Add(new VerificationProblem(seq, VerificationProblemCode.BlobCorrupt, $"Blob {hash.ToShortString()} referenced by entry {seq} does not hash to its id: its bytes were changed."));
            return false;
        }

        return true;
    }

    // Checks the ledger against the signed head anchor (key folder) and the head witness (state folder), and that the
    // folder holding the ledger is the one its workspace id is bound to; true when at least one head record was compared.
    private static bool CheckAnchor(ILedgerStore store, string keyDirectory, GenesisPayload genesis, LedgerEntry? last, ILedgerStoreFactory stores, List<VerificationProblem> problems)
    {
        if (!WorkspaceKey.IsValidWorkspaceId(genesis.WorkspaceId))
        {
            // A damaged genesis can name no id, or one that would name another folder: no head record can be looked up by it.
            problems.Add(new VerificationProblem(null, VerificationProblemCode.AnchorMismatch,
                $"The genesis entry names no usable workspace id ('{Text.VisibleText.Line(genesis.WorkspaceId)}'), so the head anchor and witness cannot be found; the genesis entry was changed."));
            return true;
        }

        var copiedFrom = CopiedFrom(store, keyDirectory, genesis, stores);
        if (copiedFrom is not null)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.CopiedWorkspace,
                $"The ledger '{store.Location}' is a copy of workspace {genesis.WorkspaceId}, which belongs to '{copiedFrom}': its head anchor and witness "
                + $"describe that folder's ledger, not this one. To make this folder a workspace of its own, remove its copied ledger and open it again."));
            return true;
        }

        var anchorChecked = CheckHeadRecord(store, HeadAnchor.PathFor(keyDirectory, genesis.WorkspaceId), "head anchor", genesis, last, problems);
        var witnessChecked = CheckHeadRecord(store, HeadWitness.PathFor(HeadWitness.DefaultStateDirectory(keyDirectory), genesis.WorkspaceId), "head witness", genesis, last, problems);
        return anchorChecked || witnessChecked;
    }

    // The folder the workspace id is bound to when the ledger being verified lies in another folder's .thymos/ and that folder still holds it.
    private static string? CopiedFrom(ILedgerStore store, string keyDirectory, GenesisPayload genesis, ILedgerStoreFactory stores)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(store.Location));
            if (folder is null || Path.GetFileName(folder) != ".thymos" || !stores.Exists(store.Location))
            {
                return null;
            }

            return WorkspaceFolderBinding.OriginalOf(keyDirectory, genesis.WorkspaceId, Path.GetDirectoryName(folder)!, stores);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static bool CheckHeadRecord(ILedgerStore store, string path, string name, GenesisPayload genesis, LedgerEntry? last, List<VerificationProblem> problems)
    {
        HeadAnchor? anchor;
        try
        {
            anchor = HeadAnchor.ReadFrom(path);
        }
        catch (Exception exception)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.AnchorMismatch, exception.Message));
            return true;
        }

        if (anchor is null)
        {
            return false;
        }

        if (anchor.WorkspaceId != genesis.WorkspaceId || !anchor.IsSignedBy(genesis.WorkspaceKey))
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.AnchorMismatch,
                $"The {name} in '{path}' is not signed by this workspace's key."));
            return true;
        }

        var lastSeq = last?.Seq ?? 0;
        if (lastSeq < anchor.Seq)
        {
            problems.Add(new VerificationProblem(anchor.Seq, VerificationProblemCode.Truncated,
                $"The ledger ends at entry {lastSeq}, but its signed {name} '{path}' records entry {anchor.Seq}: the newest {anchor.Seq - lastSeq} entries were removed, or an older copy of the ledger was restored."));
            return true;
        }

        LedgerEntry? anchored;
        try
        {
            anchored = store.Read(anchor.Seq);
        }
        catch (Exception)
        {
            anchored = null;
        }

        if (anchored is null || anchored.Hash.ToString() != anchor.Hash)
        {
            problems.Add(new VerificationProblem(anchor.Seq, VerificationProblemCode.AnchorMismatch,
                $"Entry {anchor.Seq} does not have the hash {anchor.Hash[..Math.Min(12, anchor.Hash.Length)]}… recorded by the signed {name} '{path}': the ledger was rewritten or replaced by another copy."));
        }

        return true;
    }

    /// <summary>Groups the tolerant read into batches large enough to spread over the cores.</summary>
    private static IEnumerable<List<(long StoredSeq, LedgerEntry? Entry, string? Error)>> ReadInBatches(ILedgerStore store, List<VerificationProblem> problems)
    {
        var batch = new List<(long, LedgerEntry?, string?)>(BatchSize);
        foreach (var item in ReadAllTolerantly(store, problems))
        {
            batch.Add(item);
            if (batch.Count == BatchSize)
            {
                yield return batch;
                batch = new List<(long, LedgerEntry?, string?)>(BatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Where to read next after the empty range up to <paramref name="after"/>: the lowest stored seq above it (at
    /// most <paramref name="maxSeq"/>), or null when there is none. When the store cannot read the range (a damaged
    /// index can file something under a seq far beyond the head, or file an entry where its seq does not belong),
    /// the answer is the lowest seq up to which reading finds something or fails, found by doubling and then halving
    /// the range: a few dozen reads, where stepping a page at a time through an empty range up to a damaged seq near
    /// 2^63 would practically never end. Always above <paramref name="after"/>, so the caller makes progress.
    /// </summary>
    private static long? FirstStoredSeqAfter(ILedgerStore store, long after, long maxSeq)
    {
        try
        {
            foreach (var entry in store.ReadRange(after + 1, maxSeq))
            {
                // An entry that says it is at or below where reading resumes is out of place: read it where it is.
                return entry.Seq > after ? entry.Seq : FirstSeqWhereReadingFindsSomething(store, after, maxSeq);
            }

            return null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return FirstSeqWhereReadingFindsSomething(store, after, maxSeq);
        }
    }

    /// <summary>The lowest <c>s</c> in (<paramref name="after"/>, <paramref name="maxSeq"/>] for which reading from <paramref name="after"/> + 1 to <c>s</c> yields an entry or fails.</summary>
    private static long FirstSeqWhereReadingFindsSomething(ILedgerStore store, long after, long maxSeq)
    {
        bool FindsSomething(long upTo)
        {
            try
            {
                return store.ReadRange(after + 1, upTo).Any();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return true;
            }
        }

        // Double the range until it finds something, then halve the last step: (low, high] holds the answer.
        var low = after;
        var high = maxSeq;
        for (var width = 1L; width < maxSeq - after; width *= 2)
        {
            if (FindsSomething(after + width))
            {
                high = after + width;
                break;
            }

            low = after + width;
        }

        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (FindsSomething(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    /// <summary>
    /// Reads entries page by page; when a page fails to decode, falls back to one read per seq so a
    /// single damaged entry does not hide the rest.
    /// </summary>
    private static IEnumerable<(long StoredSeq, LedgerEntry? Entry, string? Error)> ReadAllTolerantly(ILedgerStore store, List<VerificationProblem> problems)
    {
        long after = 0;
        long maxSeq;
        try
        {
            maxSeq = store.MaxSeq();
        }
        catch (Exception exception)
        {
            problems.Add(new VerificationProblem(null, VerificationProblemCode.Unreadable, $"The ledger '{store.Location}' cannot be read: {exception.Message}"));
            yield break;
        }

        while (after < maxSeq)
        {
            var upper = maxSeq - after <= PageSize ? maxSeq : after + PageSize;
            List<LedgerEntry>? page = null;
            string? rangeError = null;
            try
            {
                page = store.ReadRange(after + 1, upper).ToList();
            }
            catch (Exception exception)
            {
                page = null;
                rangeError = exception.Message;
            }

            if (page is not null)
            {
                foreach (var entry in page)
                {
                    yield return (entry.Seq, entry, null);
                }

                // An empty page is a gap; a tampered seq can put the next entry near 2^63, so jump to it
                // instead of stepping through the empty range a page at a time.
                after = page.Count > 0 ? upper : FirstStoredSeqAfter(store, upper, maxSeq) is long next ? next - 1 : maxSeq;
                continue;
            }

            var anyUnreadable = false;
            for (var seq = after + 1; seq <= upper; seq++)
            {
                LedgerEntry? entry = null;
                string? error = null;
                try
                {
                    entry = store.Read(seq);
                    if (entry is null)
                    {
                        continue;
                    }
                }
                catch (Exception exception)
                {
                    error = exception.Message;
                    anyUnreadable = true;
                }

                // An entry that says it is another is reported at its place by the checks; that explains the failure.
                anyUnreadable |= entry is not null && entry.Seq != seq;

                yield return (seq, entry, error);
            }

            // Every entry read alone and where it belongs, yet not together: what reading a range checks (an entry block's own count or start,
            // the order of single documents) is damaged where reading one entry does not look. Reading entry by
            // entry must not hide that, or verify would pass a ledger whose entries cannot be read in order.
            if (!anyUnreadable)
            {
                problems.Add(new VerificationProblem(after + 1, VerificationProblemCode.EntryUnreadable,
                    $"Entries {after + 1} to {upper} of the ledger '{store.Location}' can be read one by one but not in order: {rangeError} The file is damaged; restore the ledger from a backup."));
            }

            after = upper;
        }
    }
}
