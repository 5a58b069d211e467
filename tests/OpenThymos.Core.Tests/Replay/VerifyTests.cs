// Verification of whole ledgers: a clean history verifies, and every kind of tampering is reported.
using LiteDB;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Core.Tests.Replay;

public sealed class VerifyTests(ITestOutputHelper output)
{
    [Fact]
    public void ALedgerWrittenByTheRuntimeVerifiesCleanly()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness);
        var head = harness.Runtime.Ledger.Head;
        harness.Runtime.Dispose();

        var result = LedgerVerifier.VerifyFile(harness.Workspace.LedgerPath, harness.Workspace.KeyDirectory);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(head.Seq, result.EntriesChecked);
        Assert.True(result.AnchorChecked);
        Assert.True(result.BlobsChecked > 5);
        harness.Restart();
    }

    [Fact]
    public void VerifyReportsAnUnopenableFileInsteadOfThrowing()
    {
        using var workspace = new TempWorkspace();
        var path = Path.Combine(workspace.Root, "garbage.db");
        File.WriteAllBytes(path, [.. Enumerable.Repeat((byte)0x5A, 20000)]);

        var result = LedgerVerifier.VerifyFile(path, workspace.KeyDirectory);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationProblemCode.Unreadable, result.Problems[0].Code);
    }

    /// <summary>
    /// Random mutations of a real ledger file: bit flips inside stored entries, dropped entries,
    /// swapped entries, dropped newest entries and a truncated file. Every one must be reported. The mutations come from
    /// TestSeeds: THYMOS_VERIFY_SEED pins one, else the regression seeds listed for this test, then a fresh one.
    /// </summary>
    [Fact]
    public void RandomTamperingOfTheLedgerFileIsAlwaysDetected()
    {
        using var harness = new RuntimeHarness();
        SampleHistory.Build(harness, rounds: 3);
        var entries = harness.Runtime.Ledger.Read().ToList();
        harness.Runtime.Dispose();
        var pristine = harness.Workspace.LedgerPath;
        var trials = int.TryParse(Environment.GetEnvironmentVariable("THYMOS_TAMPER_TRIALS"), out var n) ? n : 120;
        TestSeeds.Run("THYMOS_VERIFY_SEED", output.WriteLine, seed =>
        {
            var random = new Random(seed);
            var counts = new Dictionary<string, int>();
            var undetected = new List<string>();

            for (var trial = 0; trial < trials; trial++)
            {
                var copy = Path.Combine(harness.Workspace.Root, $"tamper-{seed}-{trial}");
                Directory.CreateDirectory(copy);
                var ledger = Path.Combine(copy, "ledger.db");
                File.Copy(pristine, ledger);
                var kind = (trial % 5) switch
                {
                    0 => FlipByteInsideAnEntry(ledger, entries, random),
                    1 => DropEntry(ledger, random.Next(2, entries.Count)),
                    2 => SwapEntries(ledger, entries, random),
                    3 => DropNewestEntries(ledger, entries, random.Next(1, 4)),
                    _ => TruncateFile(ledger, random),
                };
                counts[kind] = counts.GetValueOrDefault(kind) + 1;

                VerificationResult result;
                try
                {
                    result = LedgerVerifier.VerifyFile(ledger, harness.Workspace.KeyDirectory);
                }
                catch (Exception exception)
                {
                    undetected.Add($"trial {trial} ({kind}): verify threw {exception}");
                    continue;
                }

                if (result.IsValid)
                {
                    undetected.Add($"trial {trial} ({kind}): not detected");
                }

                Directory.Delete(copy, recursive: true);
            }

            output.WriteLine($"seed {seed}: tamper trials: {trials} ({string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}); undetected: {undetected.Count}");
            Assert.True(undetected.Count == 0, string.Join("\n", undetected));
        });

        harness.Restart();
    }

    private static string FlipByteInsideAnEntry(string ledger, IReadOnlyList<LedgerEntry> entries, Random random)
    {
        var bytes = File.ReadAllBytes(ledger);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var entry = entries[random.Next(entries.Count)];
            var field = random.Next(2) == 0 ? entry.Payload : entry.Hash.Bytes.ToArray();
            var at = bytes.AsSpan().IndexOf(field);
            if (at < 0)
            {
                continue;
            }

            bytes[at + random.Next(field.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(ledger, bytes);
            return "byte flip";
        }

        throw new InvalidOperationException("No entry bytes found in the ledger file; is it checkpointed?");
    }

    private static string DropEntry(string ledger, long seq)
    {
        using (var database = new LiteDatabase(new ConnectionString { Filename = ledger, Connection = ConnectionType.Direct }))
        {
            database.GetCollection("entries").Delete(seq);
        }

        return "dropped entry";
    }

    private static string SwapEntries(string ledger, IReadOnlyList<LedgerEntry> entries, Random random)
    {
        var a = random.Next(2, entries.Count);
        var b = a == entries.Count ? a - 1 : a + 1;
        using (var database = new LiteDatabase(new ConnectionString { Filename = ledger, Connection = ConnectionType.Direct }))
        {
            var collection = database.GetCollection("entries");
            var first = collection.FindById(a);
            var second = collection.FindById(b);
            collection.Delete(a);
            collection.Delete(b);
            first["_id"] = b;
            second["_id"] = a;
            collection.Insert(first);
            collection.Insert(second);
        }

        return "swapped entries";
    }

    private static string DropNewestEntries(string ledger, IReadOnlyList<LedgerEntry> entries, int count)
    {
        using (var database = new LiteDatabase(new ConnectionString { Filename = ledger, Connection = ConnectionType.Direct }))
        {
            for (var i = 0; i < count; i++)
            {
                database.GetCollection("entries").Delete(entries[^(i + 1)].Seq);
            }
        }

        return "dropped newest";
    }

    private static string TruncateFile(string ledger, Random random)
    {
        var length = new FileInfo(ledger).Length;
        using (var stream = new FileStream(ledger, FileMode.Open))
        {
            stream.SetLength(random.NextInt64(0, length * 9 / 10));
        }

        return "truncated file";
    }

    [Fact]
    public void Blake3MatchesTheOfficialTestVectorForEmptyInput()
    {
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", ContentHash.Of([]).ToString());
    }
}
