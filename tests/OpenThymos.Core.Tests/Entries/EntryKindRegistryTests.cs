// Holds every place that knows entry kinds to the one registry: the kind names, the payload records, the references verify checks, the world fold, the payload scan and the runtime fold's switch.
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using OpenThymos.Core.Entries;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using Xunit;

namespace OpenThymos.Core.Tests.Entries;

public sealed partial class EntryKindRegistryTests
{
    [Fact]
    public void EveryEntryKindNameHasOneDescriptorAndEntryKindAllListsTheSameNames()
    {
        var constants = typeof(EntryKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToList();
        var registered = EntryKindRegistry.All.Select(d => d.Name).ToList();

        Assert.Equal(registered.Count, registered.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(constants, registered.Order(StringComparer.Ordinal));
        Assert.Equal(constants, EntryKind.All.Order(StringComparer.Ordinal));
        Assert.Equal(constants, EntryKindRegistry.Names.Order(StringComparer.Ordinal));
        Assert.All(EntryKindRegistry.All, d => Assert.Same(d, EntryKindRegistry.Find(d.Name)));
        Assert.Null(EntryKindRegistry.Find("some.future-kind"));
    }

    [Fact]
    public void EveryDescriptorsPayloadMetadataIsTheSourceGeneratedContextsOwn()
    {
        // The sidecar ships as Native AOT: payload metadata must come from LedgerJsonContext, never from reflection.
        Assert.All(EntryKindRegistry.All, d => Assert.Same(LedgerJsonContext.Default.GetTypeInfo(d.PayloadType), d.PayloadTypeInfo));
    }

    [Fact]
    public void TheDeclaredBlobReferencesAreExactlyTheFieldsVerifyChecks()
    {
        foreach (var descriptor in EntryKindRegistry.All)
        {
            var (entry, fieldOfHash) = SampleEntry(descriptor);
            Assert.Null(EntryReferences.InspectTyped(entry, out var blobs));
            var checkedFields = blobs.Select(hash => fieldOfHash[hash.ToString()]).Order(StringComparer.Ordinal).ToList();
            var declared = descriptor.References.Where(r => r.Target == ReferenceTarget.Blob).Select(r => r.Field).Order(StringComparer.Ordinal).ToList();
            Assert.True(declared.SequenceEqual(checkedFields), $"{descriptor.Name}: declares blob fields [{string.Join(", ", declared)}], verify checks [{string.Join(", ", checkedFields)}]");
            Assert.Equal(checkedFields, EntryReferences.BlobsOf(entry).Select(hash => fieldOfHash[hash.ToString()]).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void EveryDeclaredReferenceNamesAPayloadFieldOfTheRightType()
    {
        foreach (var descriptor in EntryKindRegistry.All)
        {
            foreach (var reference in descriptor.References)
            {
                var type = FieldType(descriptor.PayloadTypeInfo, reference.Field);
                var expected = reference.Target == ReferenceTarget.Entry ? typeof(long) : typeof(string);
                Assert.True(type is null || type == expected, $"{descriptor.Name}: {reference.Field} ({reference.Target}) is a {type?.Name ?? "missing field"}, not a {expected.Name}");
            }

            if (descriptor.SummaryPaths is { } paths)
            {
                Assert.NotNull(FieldType(descriptor.PayloadTypeInfo, paths.TrimEnd('[', ']')));
            }
        }
    }

    [Fact]
    public void OnlyTheKindsThatChangeFilesYieldFileChangesAndReplayReadsThemFromTheFilesList()
    {
        foreach (var descriptor in EntryKindRegistry.All)
        {
            var (entry, fieldOfHash) = SampleEntry(descriptor);
            var changes = WorldReplayer.FileChangesTyped(entry);
            if (descriptor.World == WorldEffect.FileChanges)
            {
                Assert.NotNull(changes);
                Assert.Equal(["files[].path"], changes.Select(c => fieldOfHash[c.Path]));
                Assert.Equal(changes, WorldReplayer.FileChangesOf(entry));
            }
            else
            {
                Assert.Null(changes);
                Assert.Null(WorldReplayer.FileChangesOf(entry));
            }
        }

        Assert.Equal([EntryKind.Commit, EntryKind.Revert], EntryKindRegistry.All.Where(d => d.World == WorldEffect.FileChanges).Select(d => d.Name));
        Assert.Equal([EntryKind.ExternalChangeObserved], EntryKindRegistry.All.Where(d => d.World == WorldEffect.ObservedChange).Select(d => d.Name));
    }

    [Fact]
    public void ThePayloadScanChecksEveryFieldOfTheRecordsItScansWithTheTokenTheFieldsTypeNeeds()
    {
        // A field the scan does not declare is skipped as unknown, so the scan would call a payload with a mistyped
        // value in it well-formed where the typed check refuses it.
        var scanned = 0;
        foreach (var descriptor in EntryKindRegistry.All)
        {
            if (PayloadScan.DeclaredFields(descriptor.Name) is not { } declared)
            {
                continue;
            }

            scanned++;
            var expected = new List<string>();
            ScanLines(descriptor.PayloadTypeInfo, "", expected);
            var missing = expected.Except(declared, StringComparer.Ordinal).ToList();
            var extra = declared.Except(expected, StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0, $"{descriptor.Name}: the scan lacks [{string.Join(", ", missing)}] and has [{string.Join(", ", extra)}] that the payload record does not declare so");
        }

        Assert.Equal(4, scanned);
    }

    [Fact]
    public void TheRuntimeFoldsSwitchHasACaseForEveryRegisteredKind()
    {
        var source = File.ReadAllText(SourceFile("RuntimeState.cs"));
        var apply = source[source.IndexOf("public string? Apply(LedgerEntry entry)", StringComparison.Ordinal)..];
        apply = apply[..apply.IndexOf("default:", StringComparison.Ordinal)];
        var constants = typeof(EntryKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var cases = CaseLabel().Matches(apply).Select(m => constants[m.Groups[1].Value]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(EntryKindRegistry.Names.Order(StringComparer.Ordinal), cases);
    }

    [Theory]
    [InlineData("genesis", "runtime", """{"formatVersion":1,"workspaceId":"w1"}""", "Ledger created for workspace w1", null, "", null)]
    [InlineData("writ.issued", "human:ana", """{"writ":{"id":"wr1","agent":"claude","include":["src/**","docs/*"]},"signature":"00"}""", "Writ wr1 issued to claude for [src/**, docs/*]", null, "", "claude")]
    [InlineData("proposal.staged", "agent:claude", """{"proposalId":"p1","revision":2,"agent":"claude","description":"fix","files":[{"path":"b.ts","fromPath":"a.ts"},{"path":"c.ts"}]}""", "claude proposed 2 file(s) (revision 2): fix", "p1", "a.ts,b.ts,c.ts", "claude")]
    [InlineData("proposal.approved", "human:ana", """{"proposalId":"p1","approver":"human:ana","hunks":[],"files":[{"path":"a.ts"}]}""", "human:ana approved 1 file(s) of p1", "p1", "a.ts", null)]
    [InlineData("proposal.rejected", "runtime", """{"proposalId":null,"reasonCode":"session-refused","reason":"bad token","count":3,"paths":[]}""", "Session refused (3 attempts): bad token", null, "", null)]
    [InlineData("proposal.rejected", "runtime", """{"proposalId":null,"reasonCode":"path-refused","reason":"outside","agent":"bob","paths":["../x"]}""", "Intent refused (path-refused): outside", null, "../x", "bob")]
    [InlineData("revert", "human:ana", """{"reverts":7,"reason":"oops","files":[{"path":"a.ts"}]}""", "Reverted entry 7: oops", null, "a.ts", null)]
    [InlineData("external-change.observed", "runtime", """{"path":"a.ts","proposalId":"p1"}""", "External change to a.ts observed", "p1", "a.ts", null)]
    [InlineData("ledger.rollback-accepted", "operator", """{"recordedSeq":9}""", "ledger.rollback-accepted", null, "", null)]
    [InlineData("some.future-kind", "runtime", """{"proposalId":"p9"}""", "some.future-kind", "p9", "", null)]
    [InlineData("revert", "runtime", """{"reason":"no reverts field"}""", "revert (payload unreadable)", null, "", null)]
    [InlineData("commit", "runtime", """not json""", "commit (payload unreadable)", null, "", null)]
    public void EntrySummariesAreFactsOfTheEntry(string kind, string actor, string payload, string summary, string? proposalId, string paths, string? agent)
    {
        var description = EntryDescriber.Describe(new LedgerEntry(5, kind, ContentHash.Zero, 0, actor, Encoding.UTF8.GetBytes(payload), ContentHash.Zero));

        Assert.Equal(new EntryDescription(summary, proposalId, [], agent), description with { Paths = [] });
        Assert.Equal(paths, string.Join(",", description.Paths));
    }

    /// <summary>
    /// A payload of the descriptor's record with every field filled: each string with a hash of its own JSON path
    /// (so a hash tells which field it came from), numbers 1, flags true, and one element in every list.
    /// </summary>
    private static (LedgerEntry Entry, Dictionary<string, string> FieldOfHash) SampleEntry(EntryKindDescriptor descriptor)
    {
        var fieldOfHash = new Dictionary<string, string>(StringComparer.Ordinal);
        var payload = Sample(descriptor.PayloadTypeInfo, "", fieldOfHash);
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return (new LedgerEntry(3, descriptor.Name, ContentHash.Zero, 0, "runtime", bytes, ContentHash.Zero), fieldOfHash);
    }

    private static JsonObject Sample(JsonTypeInfo record, string prefix, Dictionary<string, string> fieldOfHash)
    {
        var result = new JsonObject();
        foreach (var property in record.Properties)
        {
            result[property.Name] = Value(property.PropertyType, prefix + property.Name, fieldOfHash);
        }

        return result;
    }

    private static JsonNode? Value(Type type, string path, Dictionary<string, string> fieldOfHash)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            var hash = ContentHash.Of(Encoding.UTF8.GetBytes(path)).ToString();
            fieldOfHash[hash] = path;
            return hash;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return 1;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(JsonObject))
        {
            return new JsonObject();
        }

        var info = LedgerJsonContext.Default.GetTypeInfo(type)!;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => Sample(info, path + ".", fieldOfHash),
            JsonTypeInfoKind.Enumerable => new JsonArray(Value(info.ElementType!, path + "[]", fieldOfHash)),
            JsonTypeInfoKind.Dictionary => new JsonObject { ["key"] = "value" },
            _ => throw new InvalidOperationException($"No sample value for {type} at {path}."),
        };
    }

    /// <summary>The type of the field at a reference path (<c>a</c>, <c>a[].b</c>, <c>a.b</c>); null when the path runs into a free-form JSON object.</summary>
    private static Type? FieldType(JsonTypeInfo record, string field)
    {
        var info = record;
        Type? type = null;
        foreach (var segment in field.Split('.'))
        {
            if (type == typeof(JsonObject))
            {
                return null;
            }

            var name = segment.TrimEnd('[', ']');
            var property = info.Properties.SingleOrDefault(p => p.Name == name);
            Assert.True(property is not null, $"{record.Type.Name} has no field '{name}' (reference {field})");
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (segment.EndsWith("[]", StringComparison.Ordinal))
            {
                type = LedgerJsonContext.Default.GetTypeInfo(type)!.ElementType!;
            }

            if (type != typeof(JsonObject) && LedgerJsonContext.Default.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } nested)
            {
                info = nested;
            }
        }

        return type;
    }

    /// <summary>The <c>path:Token</c> lines the payload scan must declare for a record, from its JSON metadata.</summary>
    private static void ScanLines(JsonTypeInfo record, string prefix, List<string> lines)
    {
        foreach (var property in record.Properties)
        {
            var name = prefix + property.Name;
            var type = property.PropertyType;
            var element = LedgerJsonContext.Default.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Enumerable } list ? list.ElementType : null;
            var token = type switch
            {
                _ when type == typeof(string) => "String",
                _ when type == typeof(int) => "Int32",
                _ when type == typeof(long) => "Int64",
                _ when type == typeof(bool) => "Bool",
                _ when type == typeof(int?) => "NullableInt32",
                _ when type == typeof(bool?) => "NullableBool",
                _ when type == typeof(IReadOnlyDictionary<string, string>) => "StringMap",
                _ when element == typeof(string) => "StringList",
                _ when element is not null => "ObjectList",
                _ => "Object",
            };
            lines.Add($"{name}:{token}");
            if (token == "ObjectList")
            {
                ScanLines(LedgerJsonContext.Default.GetTypeInfo(element!)!, name + "[].", lines);
            }
            else if (token == "Object")
            {
                ScanLines(LedgerJsonContext.Default.GetTypeInfo(type)!, name + ".", lines);
            }
        }
    }

    private static string SourceFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OpenThymos.sln")))
            {
                return Directory.EnumerateFiles(Path.Combine(folder.FullName, "server"), name, SearchOption.AllDirectories).Single();
            }
        }

        throw new DirectoryNotFoundException($"The repository root (OpenThymos.sln) was not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"case EntryKind\.(\w+):")]
    private static partial Regex CaseLabel();
}
