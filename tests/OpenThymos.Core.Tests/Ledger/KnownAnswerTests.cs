// The checked-in known-answer ledger: encodings, hashes, chain, verification and replay must match it exactly.
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class KnownAnswerTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "known-answer-ledger.json"))).RootElement;

    private static IEnumerable<JsonElement> FixtureEntries => Fixture.GetProperty("entries").EnumerateArray();

    private static LedgerEntry ToEntry(JsonElement e) => new(
        e.GetProperty("seq").GetInt64(),
        e.GetProperty("kind").GetString()!,
        ContentHash.Parse(e.GetProperty("parent").GetString()!),
        e.GetProperty("time").GetInt64(),
        e.GetProperty("actor").GetString()!,
        Encoding.UTF8.GetBytes(e.GetProperty("payload").GetString()!),
        ContentHash.Parse(e.GetProperty("hash").GetString()!));

    [Fact]
    public void EveryEntryEncodesAndHashesToTheFixture()
    {
        var checkedEntries = 0;
        foreach (var element in FixtureEntries)
        {
            var entry = ToEntry(element);
            var encoding = CanonicalEntryEncoding.Encode(entry.Seq, entry.Kind, entry.Parent, entry.TimeUnixMilliseconds, entry.Actor, entry.Payload);
            Assert.Equal(element.GetProperty("encodingHex").GetString(), Convert.ToHexStringLower(encoding));
            Assert.Equal(entry.Hash, entry.ComputeHash());
            Assert.True(CanonicalJson.IsCanonical(entry.Payload), $"payload of entry {entry.Seq} is not canonical");
            checkedEntries++;
        }

        Assert.Equal(7, checkedEntries);
    }

    [Fact]
    public void TheFixtureLedgerVerifiesAndReplaysToItsWorldInARealLiteDbFile()
    {
        using var workspace = new TempWorkspace();
        using var store = LiteDbLedgerStore.OpenForWriting(workspace.LedgerPath, "known-answer test");
        var blobs = Fixture.GetProperty("blobs").EnumerateArray()
            .Select(b => new BlobWrite(ContentHash.Parse(b.GetProperty("hash").GetString()!), Convert.FromBase64String(b.GetProperty("base64").GetString()!)))
            .ToList();
        store.Append([.. FixtureEntries.Select(ToEntry)], blobs);

        var verification = LedgerVerifier.Verify(store, keyDirectory: null);
        var world = WorldReplayer.Replay(store);

        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        Assert.Equal(7, verification.EntriesChecked);
        Assert.Equal(
            Fixture.GetProperty("world").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (string?)p.Value.GetString())),
            world.Files);
    }

    [Fact]
    public void ChangingAnyFieldOfAnyFixtureEntryChangesItsHash()
    {
        foreach (var element in FixtureEntries)
        {
            var entry = ToEntry(element);
            LedgerEntry[] variants =
            [
                entry with { Seq = entry.Seq + 1 },
                entry with { Kind = entry.Kind + "x" },
                entry with { Parent = ContentHash.Of(entry.Parent.Bytes) },
                entry with { TimeUnixMilliseconds = entry.TimeUnixMilliseconds + 1 },
                entry with { Actor = entry.Actor + " " },
                entry with { Payload = [.. entry.Payload, (byte)' '] },
            ];
            Assert.All(variants, variant => Assert.NotEqual(entry.Hash, variant.ComputeHash()));
        }
    }

    [Fact]
    public void ATamperedFixtureEntryIsReportedWithItsSeq()
    {
        using var workspace = new TempWorkspace();
        using var store = LiteDbLedgerStore.OpenForWriting(workspace.LedgerPath, "known-answer test");
        var entries = FixtureEntries.Select(ToEntry).ToList();
        entries[3] = entries[3] with { Actor = "agent:someone-else" };
        store.Append(entries, [.. Fixture.GetProperty("blobs").EnumerateArray().Select(b => BlobWrite.Of(Convert.FromBase64String(b.GetProperty("base64").GetString()!)))]);

        var problem = Assert.Single(LedgerVerifier.Verify(store, keyDirectory: null).Problems);

        Assert.Equal((4L, VerificationProblemCode.HashMismatch), (problem.Seq, problem.Code));
    }
}
