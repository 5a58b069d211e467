// Tamper evidence at the level of the ledger file's bytes: single bits flipped in copies of a real LiteDB ledger
// file, the way a failing disk, an editor or someone with a hex editor changes it, each copy then verified.
using System.Diagnostics;
using System.Globalization;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class RawFileTamperTests(ITestOutputHelper output)
{
    /// <summary>
    /// Synthetic entries written before the real use, so the real entries straddle the end of the first entry block:
    /// the older ones sealed, the newer ones single documents.
    /// </summary>
    private const int EntriesBeforeRealUse = 230;

    private const string InsideAnEntry = "bit inside a stored entry";

    private const string Anywhere = "bit anywhere in the file";

    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Flips inside entries per seed: 2,000 in CI (about 25 s with the flips anywhere); THYMOS_RAWFLIP_MUTATIONS=20000
    /// for a longer run. Half as many again land anywhere in the file. The ledger is built once for all seeds.
    /// </summary>
    private static int Mutations =>
        TestSizes.From("THYMOS_RAWFLIP_MUTATIONS", 2000);

    [Fact]
    public async Task EveryBitFlippedInsideAStoredEntryIsReportedAtItsSeqAndNoFlipAnywhereChangesTheLedgerUnreported()
    {
        using var temp = new TempWorkspace();
        var sealedThrough = await RecordInBothStorageFormsAsync(temp);
        var original = RealLedger.Load(temp);
        Assert.True(sealedThrough >= EntryBlock.Size, $"the ledger has no sealed entry block (sealed through {sealedThrough})");
        Assert.True(original.Entries[^1].Seq > sealedThrough, $"the ledger has no single-document entries after its entry blocks (head {original.Entries[^1].Seq})");
        var log = new FileInfo(LiteDbLedgerStore.LogPathOf(temp.LedgerPath));
        Assert.False(log.Exists && log.Length > 0, "the closed ledger still has pages in its log, so the data file alone is not the ledger");

        var image = await File.ReadAllBytesAsync(temp.LedgerPath);
        var (located, notLocated) = StoredEntryBytes.Locate(image, original.Entries, sealedThrough);
        output.WriteLine($"rawflip: ledger of {original.Entries.Count} entries ({sealedThrough} sealed in {sealedThrough / EntryBlock.Size} entry blocks, {original.Entries.Count - sealedThrough} single documents) and {original.Blobs.Count} blobs, file {image.Length:N0} bytes");
        output.WriteLine($"rawflip: entries located in the file: sealed {located.Count(l => l.Sealed)}/{sealedThrough}, single documents {located.Count(l => !l.Sealed)}/{original.Entries.Count - sealedThrough}; not locatable: {string.Join(", ", notLocated.GroupBy(n => (n.Sealed, n.Why)).Select(g => $"{g.Count()} {(g.Key.Sealed ? "sealed" : "single")} {g.Key.Why}"))}");
        Assert.Contains(located, l => l.Sealed);
        Assert.Contains(located, l => !l.Sealed);

        // Copies go to memory-backed /dev/shm where there is one: hundreds of small files, nothing to keep.
        var copies = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(temp.Root) + "-rawflip") : Path.Combine(temp.Root, "rawflip");
        var control = await VerifyWithTimeoutAsync(WriteCopy(copies, "control", image, offset: -1, bit: 0), temp.KeyDirectory);
        Assert.True(control.Result is { IsValid: true, AnchorChecked: true }, control.Failure ?? string.Join("; ", control.Result!.Problems));

        // One ledger, flipped under every seed: the regression seeds (each at the normal size, so it repeats exactly)
        // and then a fresh one.
        await TestSeeds.RunAsync("THYMOS_RAWFLIP_SEED", line => output.WriteLine($"rawflip: {line}"), async seed =>
        {
            var random = new Random(seed);
            var stats = new Dictionary<string, ClassStats>(StringComparer.Ordinal) { [InsideAnEntry] = new(), [Anywhere] = new() };
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();

            // Inside entries: every located entry in turn (in a shuffled order), so a run as long as the ledger covers each.
            var order = located.OrderBy(_ => random.Next()).ToList();
            var noEffectInside = new List<string>();
            var insideCount = Mutations;
            for (var i = 0; i < insideCount; i++)
            {
                var target = order[i % order.Count];
                var at = random.Next(target.Length);
                var bit = random.Next(8);
                var description = $"entry {target.Entry.Seq} ({target.Entry.Kind}, {(target.Sealed ? "sealed" : "single document")}), byte {at} of {target.Length}, bit {bit}";
                var path = WriteCopy(copies, $"e{i}", image, target.Offset + at, bit);
                var noEffectBefore = stats[InsideAnEntry].NoEffect;
                var judged = await JudgeAsync(stats[InsideAnEntry], path, temp.KeyDirectory, original, expectedSeq: target.Entry.Seq);
                if (stats[InsideAnEntry].NoEffect > noEffectBefore)
                {
                    noEffectInside.Add(description);
                }

                if (judged is not null)
                {
                    failures.Add($"{InsideAnEntry}: {description}: {judged}");
                }
            }

            // Anywhere: headers, indexes, free space, blobs, entry block documents' own fields; some flips change nothing.
            var anywhereCount = Math.Max(1, insideCount / 2);
            for (var i = 0; i < anywhereCount; i++)
            {
                var offset = random.Next(image.Length);
                var bit = random.Next(8);
                var path = WriteCopy(copies, $"a{i}", image, offset, bit);
                var judged = await JudgeAsync(stats[Anywhere], path, temp.KeyDirectory, original, expectedSeq: null);
                if (judged is not null)
                {
                    failures.Add($"{Anywhere}: file byte {offset} (page {offset / 8192}, byte {offset % 8192}), bit {bit}: {judged}");
                }
            }

            TryDelete(copies);
            output.WriteLine($"rawflip: seed {seed}, {insideCount + anywhereCount} flips in {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"rawflip: {"flip",-26} {"tried",6} {"detected",9} {"seq named",10} {"no effect",10} {"failed",7}");
            foreach (var (name, k) in stats)
            {
                output.WriteLine($"rawflip: {name,-26} {k.Tried,6} {k.Detected,9} {(name == Anywhere ? "-" : k.SeqAsExpected.ToString(CultureInfo.InvariantCulture)),10} {k.NoEffect,10} {k.Failed,7}");
            }

            if (noEffectInside.Count > 0)
            {
                output.WriteLine($"rawflip: flips inside entries that changed nothing read back, for example: {string.Join("; ", noEffectInside.Take(5))}");
            }

            output.WriteLine($"rawflip: not locatable (no flip tried): {notLocated.Count} of {original.Entries.Count} entries; 'no effect' means every entry and blob read back through the store equals the original");
            Assert.True(failures.Count == 0, $"{failures.Count} flips were not reported as expected (seed {seed}):\n{string.Join('\n', failures.Take(40))}");
            Assert.True(stats[InsideAnEntry].Detected > 0);
        });
    }

    /// <summary>
    /// Builds a real ledger whose entries are in both storage forms: synthetic entries first, then real use of the
    /// sidecar, then the complete runs sealed. Returns the last sealed seq.
    /// </summary>
    private static async Task<long> RecordInBothStorageFormsAsync(TempWorkspace temp)
    {
        using (var ledger = WorkspaceLedger.Open(temp.Options()))
        {
            ledger.AppendMany(
                [.. Enumerable.Range(0, EntriesBeforeRealUse).Select(i => PendingEntry.Of(EntryKind.ExternalChangeObserved, "runtime", new ExternalChangeObservedPayload($"notes/n{i % 17}.txt", null, null, null), LedgerJsonContext.Default.ExternalChangeObservedPayload))],
                []);
        }

        await RealUse.RecordAsync(temp);
        using var store = LiteDbLedgerStore.OpenForWriting(temp.LedgerPath, "rawflip harness");
        store.SealCompleteBlocks();
        return store.BlockCount * EntryBlock.Size;
    }

    /// <summary>Counts the outcome of one flipped copy and returns why it is wrong, or null when it is as required.</summary>
    private static async Task<string?> JudgeAsync(ClassStats stats, string path, string keyDirectory, RealLedger original, long? expectedSeq)
    {
        stats.Tried++;
        try
        {
            var (result, failure) = await VerifyWithTimeoutAsync(path, keyDirectory);
            if (failure is not null)
            {
                stats.Failed++;
                return failure;
            }

            if (result!.IsValid)
            {
                // A flip verify cannot see must be one that changed nothing the store gives back.
                if (await ReadsBackUnchangedAsync(path, original))
                {
                    stats.NoEffect++;
                    return null;
                }

                stats.Failed++;
                return "verify reported the ledger intact, but entries or blobs read back differ from the original";
            }

            stats.Detected++;
            if (expectedSeq is null)
            {
                return null;
            }

            var first = result.Problems.Where(p => p.Seq is not null).Select(p => p.Seq!.Value).DefaultIfEmpty(-1).Min();
            if (first == expectedSeq)
            {
                stats.SeqAsExpected++;
                return null;
            }

            stats.Failed++;
            return $"first seq named {(first < 0 ? "none" : first.ToString(CultureInfo.InvariantCulture))}, expected {expectedSeq}; problems: {string.Join(" | ", result.Problems.Take(4))}";
        }
        finally
        {
            TryDelete(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>Verifies on another thread; a verify that throws or does not finish is the failure text, not an exception here.</summary>
    private static async Task<(VerificationResult? Result, string? Failure)> VerifyWithTimeoutAsync(string path, string keyDirectory)
    {
        var verifying = Task.Run(() => LedgerVerifier.VerifyFile(path, keyDirectory));
        if (await Task.WhenAny(verifying, Task.Delay(VerifyTimeout)) != verifying)
        {
            return (null, $"verify did not finish within {VerifyTimeout.TotalSeconds:F0} s");
        }

        try
        {
            return (await verifying, null);
        }
        catch (Exception exception)
        {
            return (null, $"verify threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>
    /// The proof that a flip had no effect: everything verify reads (count, head, every entry by range, the head by
    /// seq, the blob list, every blob) equals the original. Anything that throws or does not finish is not proof.
    /// </summary>
    private static async Task<bool> ReadsBackUnchangedAsync(string path, RealLedger original)
    {
        var reading = Task.Run(() =>
        {
            using var store = LiteDbLedgerStore.OpenReadOnly(path);
            var head = original.Entries[^1];
            if (store.Count() != original.Entries.Count || store.MaxSeq() != head.Seq || !SameEntry(head, store.Read(head.Seq)))
            {
                return false;
            }

            var entries = store.ReadRange(1, store.MaxSeq()).ToList();
            if (entries.Count != original.Entries.Count || !entries.Zip(original.Entries).All(pair => SameEntry(pair.Second, pair.First)))
            {
                return false;
            }

            return store.ListBlobs().Select(h => h.ToString()).Order(StringComparer.Ordinal).SequenceEqual(original.Blobs.Select(b => b.Hash.ToString()).Order(StringComparer.Ordinal))
                && original.Blobs.All(blob => store.ReadBlob(blob.Hash) is { } content && content.AsSpan().SequenceEqual(blob.Content.Span));
        });
        try
        {
            return await reading.WaitAsync(VerifyTimeout);
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static bool SameEntry(LedgerEntry expected, LedgerEntry? actual) =>
        actual is not null
        && actual.Seq == expected.Seq
        && actual.Kind == expected.Kind
        && actual.Parent == expected.Parent
        && actual.TimeUnixMilliseconds == expected.TimeUnixMilliseconds
        && actual.Actor == expected.Actor
        && actual.Payload.AsSpan().SequenceEqual(expected.Payload)
        && actual.Hash == expected.Hash;

    /// <summary>Writes the image to a fresh folder with one bit flipped (none for a negative offset); returns the copy's path.</summary>
    private static string WriteCopy(string folder, string name, byte[] image, int offset, int bit)
    {
        var path = Path.Combine(folder, name, "ledger.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var copy = image.ToArray();
        if (offset >= 0)
        {
            copy[offset] ^= (byte)(1 << bit);
        }

        File.WriteAllBytes(path, copy);
        return path;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A verify that never finished still holds the file; the temp root is removed at the end.
        }
    }

    /// <summary>How one class of flips fared.</summary>
    private sealed class ClassStats
    {
        public int Tried { get; set; }

        public int Detected { get; set; }

        public int SeqAsExpected { get; set; }

        public int NoEffect { get; set; }

        public int Failed { get; set; }
    }
}
