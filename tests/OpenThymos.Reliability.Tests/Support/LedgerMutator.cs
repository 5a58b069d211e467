// Mutations of a real ledger as raw entries and blobs, each with what verify must report about it.
using System.Text;
using System.Text.Json.Nodes;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Signing;

namespace OpenThymos.Reliability.Tests;

/// <summary>
/// Makes one mutated copy of a ledger per call. Entries are changed as values (fields flipped, payloads re-encoded
/// as valid canonical JSON, entries dropped, duplicated, reordered, cut, re-signed, rehashed) and blobs swapped;
/// each mutation says which seq verify must name first. Where an attacker recomputes hashes, the seq is where the
/// chain first breaks (the parent link after the change), and where the whole chain is rewritten consistently only
/// the signed head anchor can catch it, so the seq is the anchor's.
/// </summary>
internal sealed class LedgerMutator(TamperSource source, WorkspaceKey foreignKey)
{
    public const string TruncateWithoutAnchor = "truncate newest, anchor removed";

    private readonly IReadOnlyList<LedgerEntry> _entries = source.Entries;

    public static IReadOnlyList<string> Kinds { get; } =
    [
        "flip a bit of seq",
        "flip a bit of kind",
        "flip a bit of parent",
        "flip a bit of time",
        "flip a bit of actor",
        "flip a bit of payload",
        "flip a bit of stored hash",
        "re-encode a payload field",
        "re-encode a field, entry rehashed",
        "drop an entry",
        "drop an entry, renumber",
        "drop an entry, renumber, rehash",
        "duplicate an entry",
        "duplicate an entry, rehash",
        "reorder two entries",
        "reorder two entries, rehash",
        "truncate newest, anchor kept",
        TruncateWithoutAnchor,
        "swap a blob's content",
        "remove a blob",
        "re-sign a writ with a foreign key",
        "widen a writ, foreign signature",
        "change a payload, rehash whole chain",
        "replace workspace key, rehash all",
    ];

    private long Head => _entries[^1].Seq;

    public Mutation Apply(string kind, Random random)
    {
        var entries = _entries.ToList();
        var blobs = source.Blobs;
        var k = random.Next(entries.Count);
        var seq = entries[k].Seq;
        switch (kind)
        {
            case "flip a bit of seq":
                {
                    // Stored under the flipped seq, which must be above every real one to be storable at all.
                    var bit = random.Next(BitLength(Head) + 1, 63);
                    entries[k] = entries[k] with { Seq = seq | (1L << bit) };
                    return Make($"seq {seq} -> {entries[k].Seq}", [.. entries.OrderBy(e => e.Seq)], blobs, Exactly(seq));
                }
            case "flip a bit of kind":
                entries[k] = entries[k] with { Kind = FlipAscii(entries[k].Kind, random) };
                return Make($"kind of {seq} -> '{entries[k].Kind}'", entries, blobs, Exactly(seq));
            case "flip a bit of parent":
                entries[k] = entries[k] with { Parent = FlipHash(entries[k].Parent, random) };
                return Make($"parent of {seq}", entries, blobs, Exactly(seq));
            case "flip a bit of time":
                entries[k] = entries[k] with { TimeUnixMilliseconds = entries[k].TimeUnixMilliseconds ^ (1L << random.Next(63)) };
                return Make($"time of {seq}", entries, blobs, Exactly(seq));
            case "flip a bit of actor":
                entries[k] = entries[k] with { Actor = FlipAscii(entries[k].Actor, random) };
                return Make($"actor of {seq} -> '{entries[k].Actor}'", entries, blobs, Exactly(seq));
            case "flip a bit of payload":
                {
                    var payload = entries[k].Payload.ToArray();
                    var at = random.Next(payload.Length);
                    payload[at] ^= (byte)(1 << random.Next(8));
                    entries[k] = entries[k] with { Payload = payload };
                    return Make($"payload byte {at} of {seq}", entries, blobs, Exactly(seq));
                }
            case "flip a bit of stored hash":
                entries[k] = entries[k] with { Hash = FlipHash(entries[k].Hash, random) };
                return Make($"hash of {seq}", entries, blobs, Exactly(seq));
            case "re-encode a payload field":
                {
                    var (field, payload) = ChangeOneField(entries[k].Payload, random);
                    entries[k] = entries[k] with { Payload = payload };
                    return Make($"{field} of {seq} ({entries[k].Kind})", entries, blobs, Exactly(seq));
                }
            case "re-encode a field, entry rehashed":
                {
                    var (field, payload) = ChangeOneField(entries[k].Payload, random);
                    entries[k] = Rehash(entries[k] with { Payload = payload });
                    // The entry is self-consistent; the break is the next entry's parent link (or, for the head, the anchor).
                    return Make($"{field} of {seq} ({entries[k].Kind}), rehashed", entries, blobs, Among(seq, seq == Head ? seq : seq + 1));
                }
            case "drop an entry":
                entries.RemoveAt(k);
                return Make($"entry {seq} removed", entries, blobs, seq == Head ? Exactly(Head, VerificationProblemCode.Truncated) : Exactly(seq, VerificationProblemCode.SeqGap));
            case "drop an entry, renumber":
                entries.RemoveAt(k);
                Renumber(entries, k, rehash: false);
                return Make($"entry {seq} removed, later ones renumbered", entries, blobs, Exactly(seq));
            case "drop an entry, renumber, rehash":
                entries.RemoveAt(k);
                Renumber(entries, k, rehash: true);
                return Make($"entry {seq} removed, later ones renumbered and rehashed", entries, blobs, Exactly(seq));
            case "duplicate an entry":
                entries.Insert(k + 1, entries[k]);
                Renumber(entries, k + 1, rehash: false);
                return Make($"entry {seq} duplicated", entries, blobs, Exactly(seq + 1));
            case "duplicate an entry, rehash":
                entries.Insert(k + 1, entries[k]);
                Renumber(entries, k + 1, rehash: true);
                return Make($"entry {seq} duplicated, renumbered and rehashed", entries, blobs, Exactly(seq + 1));
            case "reorder two entries":
            case "reorder two entries, rehash":
                {
                    var other = PickOther(k, entries.Count, random);
                    var (low, high) = (Math.Min(k, other), Math.Max(k, other));
                    (entries[low], entries[high]) = (entries[high], entries[low]);
                    Renumber(entries, low, rehash: kind.EndsWith("rehash", StringComparison.Ordinal));
                    return Make($"entries {low + 1} and {high + 1} swapped", entries, blobs, Exactly(low + 1));
                }
            case "truncate newest, anchor kept":
            case TruncateWithoutAnchor:
                {
                    var cut = 1 + random.Next(Math.Min(20, entries.Count - 1));
                    entries.RemoveRange(entries.Count - cut, cut);
                    return kind == TruncateWithoutAnchor
                        ? Make($"newest {cut} cut, anchor removed", entries, blobs, new ExpectNoAnchor(), withAnchor: false)
                        : Make($"newest {cut} cut", entries, blobs, Exactly(Head, VerificationProblemCode.Truncated));
                }
            case "swap a blob's content":
            case "remove a blob":
                {
                    var referenced = ReferencedBlobs();
                    var (hash, firstSeq) = referenced[random.Next(referenced.Count)];
                    var others = blobs.Where(b => b.Hash != hash).ToList();
                    if (kind == "remove a blob")
                    {
                        return Make($"blob {hash.ToShortString()} removed", entries, others, Exactly(firstSeq, VerificationProblemCode.BlobMissing));
                    }
                    var donor = others[random.Next(others.Count)];
                    return Make($"blob {hash.ToShortString()} holds {donor.Hash.ToShortString()}'s bytes", entries, [.. others, new BlobWrite(hash, donor.Content)], Exactly(firstSeq, VerificationProblemCode.BlobCorrupt));
                }
            case "re-sign a writ with a foreign key":
            case "widen a writ, foreign signature":
                {
                    var writs = entries.Select((e, i) => (e, i)).Where(x => x.e.Kind == EntryKind.WritIssued).ToList();
                    var (writEntry, index) = writs[random.Next(writs.Count)];
                    var payload = JsonNode.Parse(writEntry.Payload)!.AsObject();
                    var writ = payload["writ"]!.AsObject();
                    if (kind.StartsWith("widen", StringComparison.Ordinal))
                    {
                        writ["effects"] = new JsonArray("create", "delete", "modify", "rename");
                        writ["include"] = new JsonArray("**");
                    }
                    payload["signature"] = Convert.ToHexStringLower(foreignKey.Sign(CanonicalJson.Write(writ)));
                    entries[index] = writEntry with { Payload = CanonicalJson.Write(payload) };
                    Relink(entries, index);
                    return Make($"writ in {writEntry.Seq} signed by a foreign key, chain rehashed", entries, blobs, Exactly(writEntry.Seq, VerificationProblemCode.SignatureInvalid));
                }
            case "change a payload, rehash whole chain":
                {
                    // Any entry but the genesis and writs (those carry signatures): a consistent rewrite only the anchor can catch.
                    var candidates = entries.Select((e, i) => (e, i)).Where(x => x.e.Kind is not (EntryKind.Genesis or EntryKind.WritIssued)).ToList();
                    var (target, index) = candidates[random.Next(candidates.Count)];
                    var (field, payload) = ChangeOneField(target.Payload, random);
                    entries[index] = target with { Payload = payload };
                    Relink(entries, index);
                    // A change that breaks the payload's shape or a blob reference is also named at the entry itself.
                    return Make($"{field} of {target.Seq} ({target.Kind}), whole chain rehashed", entries, blobs, Among(target.Seq, Head) with { Code = VerificationProblemCode.AnchorMismatch });
                }
            case "replace workspace key, rehash all":
                {
                    // The attacker's own key in the genesis, every writ re-signed with it, every hash recomputed: only the
                    // anchor, signed by the real key outside the workspace, tells.
                    var genesis = JsonNode.Parse(entries[0].Payload)!.AsObject();
                    genesis["workspaceKey"] = foreignKey.PublicKeyHex;
                    entries[0] = entries[0] with { Payload = CanonicalJson.Write(genesis) };
                    for (var i = 1; i < entries.Count; i++)
                    {
                        if (entries[i].Kind == EntryKind.WritIssued)
                        {
                            var payload = JsonNode.Parse(entries[i].Payload)!.AsObject();
                            payload["signature"] = Convert.ToHexStringLower(foreignKey.Sign(CanonicalJson.Write(payload["writ"])));
                            entries[i] = entries[i] with { Payload = CanonicalJson.Write(payload) };
                        }
                    }
                    Relink(entries, 0);
                    return Make("workspace key replaced, writs re-signed, all rehashed", entries, blobs, new Expectation([null], VerificationProblemCode.AnchorMismatch));
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown mutation");
        }
    }

    private static Mutation Make(string description, IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs, Expectation expected, bool withAnchor = true) =>
        new(description, entries, blobs, withAnchor, expected);

    private static Expectation Exactly(long seq, string? code = null) => new([seq], code);

    private static Expectation Among(params long[] seqs) => new([.. seqs.Distinct().Select(s => (long?)s)]);

    /// <summary>Blobs named by some entry, with the first entry that names each (where verify reports it).</summary>
    private List<(ContentHash Hash, long FirstSeq)> ReferencedBlobs()
    {
        var first = new Dictionary<ContentHash, long>();
        foreach (var entry in _entries)
        {
            foreach (var hash in EntryReferences.BlobsOf(entry))
            {
                first.TryAdd(hash, entry.Seq);
            }
        }
        return [.. first.Select(f => (f.Key, f.Value)).Where(f => source.Blobs.Any(b => b.Hash == f.Key))];
    }

    /// <summary>Gives entries from <paramref name="from"/> on their position as seq; with <paramref name="rehash"/> their hash is recomputed (parents kept).</summary>
    private static void Renumber(List<LedgerEntry> entries, int from, bool rehash)
    {
        for (var i = from; i < entries.Count; i++)
        {
            var renumbered = entries[i] with { Seq = i + 1 };
            entries[i] = rehash ? Rehash(renumbered) : renumbered;
        }
    }

    /// <summary>Recomputes every hash and parent link from <paramref name="from"/> on: a consistent rewrite.</summary>
    private static void Relink(List<LedgerEntry> entries, int from)
    {
        for (var i = from; i < entries.Count; i++)
        {
            var parent = i == 0 ? ContentHash.Zero : entries[i - 1].Hash;
            entries[i] = LedgerEntry.Create(entries[i].Seq, entries[i].Kind, parent, entries[i].TimeUnixMilliseconds, entries[i].Actor, entries[i].Payload);
        }
    }

    private static LedgerEntry Rehash(LedgerEntry entry) => entry with { Hash = entry.ComputeHash() };

    /// <summary>Changes one value anywhere in the payload and writes it back as valid canonical JSON.</summary>
    private static (string Field, byte[] Payload) ChangeOneField(byte[] payload, Random random)
    {
        var root = JsonNode.Parse(payload)!;
        var leaves = new List<(string Path, JsonNode? Parent, object Key, JsonNode? Value)>();
        Collect(root, "$", leaves);
        var (path, parent, key, value) = leaves[random.Next(leaves.Count)];
        JsonNode replacement = value switch
        {
            null => JsonValue.Create("tampered"),
            JsonValue v when v.TryGetValue<bool>(out var b) => JsonValue.Create(!b),
            JsonValue v when v.TryGetValue<long>(out var n) => JsonValue.Create(n + 1 + random.Next(1000)),
            JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(ChangeString(s, random)),
            _ => JsonValue.Create("tampered"),
        };
        if (parent is JsonObject obj)
        {
            obj[(string)key] = replacement;
        }
        else
        {
            parent!.AsArray()[(int)key] = replacement;
        }
        var written = CanonicalJson.Write(root);
        return written.AsSpan().SequenceEqual(payload) ? ChangeOneField(payload, random) : (path, written);
    }

    private static void Collect(JsonNode node, string path, List<(string, JsonNode?, object, JsonNode?)> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        Collect(child, $"{path}.{name}", leaves);
                    }
                    else
                    {
                        leaves.Add(($"{path}.{name}", obj, name, child));
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject or JsonArray)
                    {
                        Collect(array[i]!, $"{path}[{i}]", leaves);
                    }
                    else
                    {
                        leaves.Add(($"{path}[{i}]", array, i, array[i]));
                    }
                }
                break;
        }
    }

    /// <summary>A different string of the same kind: a hex hash stays 64 hex digits, text gains or changes a character.</summary>
    private static string ChangeString(string value, Random random)
    {
        if (value.Length > 0 && value.All(Uri.IsHexDigit))
        {
            var chars = value.ToCharArray();
            var at = random.Next(chars.Length);
            chars[at] = chars[at] == '0' ? '1' : '0';
            return new string(chars);
        }
        return value.Length == 0 ? "x" : value[..^1] + (value[^1] == 'x' ? 'y' : 'x');
    }

    private static string FlipAscii(string text, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = random.Next(bytes.Length);
        bytes[at] ^= (byte)(1 << random.Next(7));
        if (bytes[at] == 0)
        {
            bytes[at] = (byte)'?';
        }
        return Encoding.UTF8.GetString(bytes);
    }

    private static ContentHash FlipHash(ContentHash hash, Random random)
    {
        var bytes = hash.Bytes.ToArray();
        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return ContentHash.FromBytes(bytes);
    }

    private static int PickOther(int k, int count, Random random)
    {
        var other = random.Next(count - 1);
        return other >= k ? other + 1 : other;
    }

    private static int BitLength(long value) => 64 - (int)ulong.LeadingZeroCount((ulong)value);
}

/// <summary>The ledger the mutations start from.</summary>
internal sealed record TamperSource(IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<BlobWrite> Blobs);
