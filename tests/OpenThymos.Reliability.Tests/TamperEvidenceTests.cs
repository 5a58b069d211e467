// Tamper evidence at scale: thousands of mutations of copies of a ledger made by real use of the sidecar, each
// written back through the storage interface (so nothing here depends on LiteDB's page layout) and verified.
using System.Diagnostics;
using System.Globalization;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class TamperEvidenceTests(ITestOutputHelper output)
{
    /// <summary>Mutations: 2,000 in CI; THYMOS_TAMPER_MUTATIONS=20000 for a longer run.</summary>
    private static int Mutations =>
        TestSizes.From("THYMOS_TAMPER_MUTATIONS", 2000);

    [Fact]
    public async Task EveryMutationOfARealLedgerIsReportedAtTheSeqItBrokeAndVerifyNeverThrows()
    {
        using var temp = new TempWorkspace();
        await RealUse.RecordAsync(temp);
        var original = RealLedger.Load(temp);
        output.WriteLine($"tamper: real ledger of {original.Entries.Count} entries ({string.Join(", ", original.Entries.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}) and {original.Blobs.Count} blobs, made through the sidecar");

        // Copies go to memory-backed /dev/shm where there is one: thousands of small fsynced files, nothing to keep.
        var copies = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(temp.Root) + "-copies") : Path.Combine(temp.Root, "copies");
        var withoutAnchor = Path.Combine(temp.Root, "keys-without-anchor");
        CopyKeysWithoutAnchor(temp.KeyDirectory, withoutAnchor);
        var foreignKey = WorkspaceKey.LoadOrCreate(Path.Combine(temp.Root, "foreign-keys"), original.WorkspaceId);
        var mutator = new LedgerMutator(new TamperSource(original.Entries, original.Blobs), foreignKey);

        // The untouched copy, written the same way, verifies: what the mutations find is theirs.
        var control = Verify(Write(copies, "control", original.Entries, original.Blobs), temp.KeyDirectory);
        Assert.True(control.IsValid && control.AnchorChecked, string.Join("; ", control.Problems));

        await TestSeeds.RunAsync("THYMOS_TAMPER_SEED", line => output.WriteLine($"tamper: {line}"), async seed =>
        {
            var random = new Random(seed);
            var kinds = LedgerMutator.Kinds;
            var stats = kinds.ToDictionary(k => k, _ => new KindStats(), StringComparer.Ordinal);
            var failures = new List<string>();
            var total = Mutations;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var kind = kinds[i % kinds.Count];
                var mutation = mutator.Apply(kind, random);
                var path = Write(copies, $"m{i}", mutation.Entries, mutation.Blobs);
                VerificationResult result;
                try
                {
                    // Verify must also finish: a mutation that sends it into a practically endless loop is a defect too.
                    var verifying = Task.Run(() => Verify(path, mutation.WithAnchor ? temp.KeyDirectory : withoutAnchor));
                    if (await Task.WhenAny(verifying, Task.Delay(TimeSpan.FromSeconds(60))) != verifying)
                    {
                        failures.Add($"{kind} ({mutation.Description}): verify did not finish within 60 s");
                        stats[kind].Threw++;
                        continue;
                    }
                    result = await verifying;
                }
                catch (Exception exception)
                {
                    failures.Add($"{kind} ({mutation.Description}): verify threw {exception.GetType().Name}: {exception.Message}");
                    stats[kind].Threw++;
                    continue;
                }
                finally
                {
                    TryDelete(Path.GetDirectoryName(path)!);
                }
                var judged = stats[kind].Judge(mutation, result);
                if (judged is not null)
                {
                    failures.Add($"{kind} ({mutation.Description}): {judged}; problems: {string.Join(" | ", result.Problems.Take(4))}");
                }
            }

            TryDelete(copies);
            output.WriteLine($"tamper: seed {seed}, {total} mutations in {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"tamper: {"mutation",-34} {"tried",6} {"detected",9} {"seq named",10}");
            foreach (var kind in kinds)
            {
                var k = stats[kind];
                output.WriteLine($"tamper: {kind,-34} {k.Tried,6} {k.Detected,9} {k.SeqAsExpected,10}");
            }
            var detectable = stats.Where(k => k.Key != LedgerMutator.TruncateWithoutAnchor).Select(k => k.Value).ToList();
            output.WriteLine($"tamper: detection rate {detectable.Sum(k => k.Detected)}/{detectable.Sum(k => k.Tried)}, first bad seq named as expected {detectable.Sum(k => k.SeqAsExpected)}/{detectable.Sum(k => k.Tried)}, verify threw or did not finish {stats.Values.Sum(k => k.Threw)} times");
            output.WriteLine($"tamper: truncation without the head anchor: {stats[LedgerMutator.TruncateWithoutAnchor].Tried} tried, each reported as not anchor-checked (a hash chain alone cannot tell a cut ledger from a shorter one)");
            Assert.True(failures.Count == 0, $"{failures.Count} mutations were not reported as expected:\n{string.Join('\n', failures.Take(40))}");
            Assert.True(total >= kinds.Count);
        });
    }

    private static string Write(string folder, string name, IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs)
    {
        var path = Path.Combine(folder, name, "ledger.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var store = LiteDbLedgerStore.OpenForWriting(path, "tamper harness");
        store.Append(entries, blobs);
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

    private static VerificationResult Verify(string path, string keyDirectory) => LedgerVerifier.VerifyFile(path, keyDirectory);

    private static void CopyKeysWithoutAnchor(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (Path.GetFileName(file) is HeadAnchor.FileName or "agent.sock")
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    /// <summary>How one kind of mutation fared.</summary>
    private sealed class KindStats
    {
        public int Tried { get; private set; }

        public int Detected { get; private set; }

        public int SeqAsExpected { get; private set; }

        public int Threw { get; set; }

        /// <summary>Counts the outcome and returns why it is wrong, or null when verify reported what was expected.</summary>
        public string? Judge(Mutation mutation, VerificationResult result)
        {
            Tried++;
            if (mutation.Expected is ExpectNoAnchor)
            {
                var unflagged = result.IsValid && !result.AnchorChecked;
                Detected += unflagged ? 0 : 1;
                SeqAsExpected += unflagged ? 1 : 0;
                return unflagged ? null : "a ledger without its anchor should verify with the anchor unchecked";
            }
            if (result.IsValid)
            {
                return "verify reported the ledger intact";
            }
            Detected++;
            var first = result.Problems.Where(p => p.Seq is not null).Select(p => p.Seq!.Value).DefaultIfEmpty(-1).Min();
            var expected = mutation.Expected;
            var ok = expected.Seqs.Contains(first < 0 ? null : first)
                && (expected.Code is null || result.Problems.Any(p => p.Code == expected.Code));
            SeqAsExpected += ok ? 1 : 0;
            return ok ? null : $"first seq named {first}, expected one of [{string.Join(", ", expected.Seqs.Select(q => q?.ToString(CultureInfo.InvariantCulture) ?? "none"))}]{(expected.Code is null ? "" : $" with a '{expected.Code}' problem")}";
        }
    }
}

/// <summary>What verify must say about a mutation: the first seq it names (one of these; null for a whole-ledger problem) and, optionally, a problem code it must include.</summary>
internal record Expectation(IReadOnlyList<long?> Seqs, string? Code = null);

/// <summary>A truncation with no anchor to compare with: by design undetectable, and verify must say the anchor was not checked.</summary>
internal sealed record ExpectNoAnchor() : Expectation([]);

/// <summary>A mutated copy of the ledger: its entries and blobs, whether the head anchor is kept, and what verify must report.</summary>
internal sealed record Mutation(string Description, IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<BlobWrite> Blobs, bool WithAnchor, Expectation Expected);
