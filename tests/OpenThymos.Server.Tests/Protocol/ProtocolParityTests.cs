// Keeps the two declarations of the wire contract equal: C# Protocol/ and extension/src/protocol.ts, and the entry kinds
// with their payloads: Core's EntryKindRegistry and extension/src/entryKinds.ts.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OpenThymos.Core.Entries;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests.Protocol;

public sealed partial class ProtocolParityTests
{
    // Found by name under extension/src, wherever a feature folder puts them.
    private static readonly string TypeScript = File.ReadAllText(ExtensionSource("protocol.ts"));

    private static readonly string EntryKindsTypeScript = File.ReadAllText(ExtensionSource("entryKinds.ts"));

    [Fact]
    public void BothSidesDeclareTheSameMethodNames()
    {
        var csharp = typeof(ProtocolMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var typescript = ConstObject("ProtocolMethods").ToDictionary(p => p.Key, p => p.Value.Trim('\''));

        Assert.Equal(csharp.OrderBy(p => p.Key), typescript.OrderBy(p => p.Key));
    }

    [Fact]
    public void EveryMethodNameFollowsTheNamingConvention()
    {
        var lifecycle = new[] { "initialize", "initialized", "shutdown", "exit" };
        var names = typeof(ProtocolMethods).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.All(names.Except(lifecycle), name => Assert.Matches("^[a-z]+/(did[A-Z][A-Za-z]*|[a-z]+[A-Za-z]*)$", name));
        Assert.All(ProtocolMethods.Notifications.Except(lifecycle), name => Assert.Matches("/did[A-Z]", name));
    }

    [Fact]
    public void BothSidesDeclareTheSameTypesFieldsAndOptionality()
    {
        var context = new NullabilityInfoContext();
        var csharp = typeof(ProtocolMethods).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ProtocolMethods).Namespace && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .ToDictionary(
                t => t.Name,
                t => t.GetProperties()
                    .Select(p => (Property: p, Wire: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
                    .Where(p => p.Wire is not null && p.Property.Name != "EqualityContract")
                    .Select(p => $"{p.Wire}{(context.Create(p.Property).ReadState == NullabilityState.Nullable || Nullable.GetUnderlyingType(p.Property.PropertyType) is not null ? "?" : "")}")
                    .OrderBy(s => s, StringComparer.Ordinal)
                    .ToList());
        var typescript = Interfaces();

        Assert.Equal(csharp.Keys.Order(StringComparer.Ordinal), typescript.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, fields) in csharp)
        {
            Assert.True(fields.SequenceEqual(typescript[name]), $"{name}: C# has [{string.Join(", ", fields)}], TypeScript has [{string.Join(", ", typescript[name])}]");
        }
    }

    [Fact]
    public void BothSidesDeclareTheSameErrorCodes()
    {
        var csharp = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        Assert.Equal(csharp.OrderBy(p => p.Key), ConstObject("ErrorCodes").ToDictionary(p => p.Key, p => int.Parse(p.Value, System.Globalization.CultureInfo.InvariantCulture)).OrderBy(p => p.Key));

        var runtime = Enum.GetValues<RuntimeErrorCode>().Where(c => c != RuntimeErrorCode.None).ToDictionary(c => c.ToString(), c => (int)c);
        Assert.Equal(runtime.OrderBy(p => p.Key), ConstObject("RuntimeErrorCodes").ToDictionary(p => p.Key, p => int.Parse(p.Value, System.Globalization.CultureInfo.InvariantCulture)).OrderBy(p => p.Key));
    }

    [Fact]
    public void EveryRequestAndNotificationHasAMessageTypeInTypeScript()
    {
        var declared = MessageType().Matches(TypeScript).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var names = typeof(ProtocolMethods).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name);
        Assert.All(names, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void BothSidesDeclareTheSameFieldTypes()
    {
        var csharp = ProtocolRecords().ToDictionary(t => t.Name, t => TypedFields(t));
        var typescript = Interfaces(TypeScript, typed: true);

        foreach (var (name, fields) in csharp)
        {
            Assert.True(fields.SequenceEqual(typescript[name]), $"{name}: C# has [{string.Join(", ", fields)}], TypeScript has [{string.Join(", ", typescript[name])}]");
        }
    }

    [Fact]
    public void BothSidesDeclareTheSameEntryKinds()
    {
        var csharp = typeof(EntryKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var typescript = ConstObject(EntryKindsTypeScript, "EntryKinds");

        Assert.Equal(csharp.OrderBy(p => p.Key), typescript.ToDictionary(p => p.Key, p => p.Value.Trim('\'')).OrderBy(p => p.Key));

        // The extension lists kinds (the timeline's kind filter) in the registry's order, the format document's.
        Assert.Equal(EntryKindRegistry.All.Select(d => d.Name), typescript.Values.Select(v => v.Trim('\'')));
    }

    [Fact]
    public void BothSidesAgreeWhichEntryKindsChangeFiles()
    {
        var list = Regex.Match(EntryKindsTypeScript, @"export const fileChangingKinds: readonly string\[\] = \[(.*?)\];", RegexOptions.Singleline);
        Assert.True(list.Success, "entryKinds.ts declares no `export const fileChangingKinds: readonly string[] = [ … ];`");
        var names = typeof(EntryKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var typescript = Regex.Matches(list.Groups[1].Value, @"EntryKinds\.(\w+)").Select(m => names[m.Groups[1].Value]);

        Assert.Equal(EntryKindRegistry.All.Where(d => d.World == WorldEffect.FileChanges).Select(d => d.Name), typescript);
    }

    [Fact]
    public void BothSidesDeclareTheSamePayloadRecordForEachEntryKind()
    {
        var body = Regex.Match(EntryKindsTypeScript, @"export interface EntryPayloads \{\n(.*?)\n\}", RegexOptions.Singleline);
        Assert.True(body.Success, "entryKinds.ts declares no `export interface EntryPayloads { … }`");
        var typescript = Regex.Matches(body.Groups[1].Value, @"^  '([^']+)': (\w+);", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Equal(EntryKindRegistry.All.ToDictionary(d => d.Name, d => d.PayloadType.Name).OrderBy(p => p.Key), typescript.OrderBy(p => p.Key));
    }

    [Fact]
    public void BothSidesDeclareTheSamePayloadFieldsWithTheSameTypes()
    {
        var records = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var descriptor in EntryKindRegistry.All)
        {
            AddRecords(descriptor.PayloadType, records);
        }

        var typescript = Interfaces(EntryKindsTypeScript, typed: true);
        typescript.Remove("EntryKindStyle");
        typescript.Remove("EntryPayloads");

        Assert.Equal(records.Keys.Order(StringComparer.Ordinal), typescript.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, type) in records)
        {
            var fields = TypedFields(type);
            Assert.True(fields.SequenceEqual(typescript[name]), $"{name}: C# has [{string.Join(", ", fields)}], TypeScript has [{string.Join(", ", typescript[name])}]");
        }
    }

    /// <summary>Every protocol record: a class of the Protocol namespace with a record's clone method.</summary>
    private static IEnumerable<Type> ProtocolRecords() =>
        typeof(ProtocolMethods).Assembly.GetTypes().Where(t => t.Namespace == typeof(ProtocolMethods).Namespace && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null);

    /// <summary>A record's wire fields as TypeScript declares them: <c>name: type</c>, or <c>name?: type | null</c> when nullable; sorted.</summary>
    private static List<string> TypedFields(Type type)
    {
        var context = new NullabilityInfoContext();
        return
        [
            .. type.GetProperties()
                .Select(p => (Property: p, Wire: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
                .Where(p => p.Wire is not null)
                .Select(p =>
                {
                    var nullable = context.Create(p.Property).ReadState == NullabilityState.Nullable || Nullable.GetUnderlyingType(p.Property.PropertyType) is not null;
                    return $"{p.Wire}{(nullable ? "?" : "")}: {TypeScriptType(Nullable.GetUnderlyingType(p.Property.PropertyType) ?? p.Property.PropertyType)}{(nullable ? " | null" : "")}";
                })
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>The TypeScript spelling of a (non-null) C# wire type.</summary>
    private static string TypeScriptType(Type type)
    {
        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return "number";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(JsonElement))
        {
            return "unknown";
        }

        if (type == typeof(JsonObject))
        {
            return "Record<string, unknown>";
        }

        if (type.IsArray)
        {
            return TypeScriptType(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string) && (typeof(System.Collections.IDictionary).IsAssignableFrom(type) || type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return $"Record<string, {TypeScriptType(value)}>";
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            return TypeScriptType(element) + "[]";
        }

        Assert.False(type.IsEnum || type.IsPrimitive || type.IsGenericType, $"No TypeScript spelling is defined for the wire type {type}; add one to TypeScriptType.");
        return type.Name;
    }

    /// <summary>Adds a payload record and every record its fields hold.</summary>
    private static void AddRecords(Type type, Dictionary<string, Type> records)
    {
        if (!records.TryAdd(type.Name, type))
        {
            return;
        }

        foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null))
        {
            var held = property.PropertyType.IsGenericType && property.PropertyType.GetGenericArguments() is [var element] ? element : property.PropertyType;
            if (held.IsClass && held.Namespace == typeof(Core.Ledger.Payloads.CommitPayload).Namespace)
            {
                AddRecords(held, records);
            }
        }
    }

    private static Dictionary<string, string> ConstObject(string name) => ConstObject(TypeScript, name);

    private static Dictionary<string, string> ConstObject(string source, string name)
    {
        var body = Regex.Match(source, $@"export const {name} = \{{(.*?)\}} as const;", RegexOptions.Singleline);
        Assert.True(body.Success, $"the TypeScript source declares no `export const {name} = {{ … }} as const`");
        return ConstEntry().Matches(body.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    private static Dictionary<string, List<string>> Interfaces() => Interfaces(TypeScript, typed: false);

    /// <summary>Each interface's fields: <c>name</c> or <c>name?</c>, with <c>: type</c> when <paramref name="typed"/>.</summary>
    private static Dictionary<string, List<string>> Interfaces(string source, bool typed)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match match in InterfaceDeclaration().Matches(source))
        {
            result[match.Groups[1].Value] = [.. InterfaceField().Matches(match.Groups[2].Value).Select(f => f.Groups[1].Value + f.Groups[2].Value + (typed ? ": " + f.Groups[3].Value : "")).Order(StringComparer.Ordinal)];
        }

        foreach (Match match in EmptyTypeDeclaration().Matches(source))
        {
            result[match.Groups[1].Value] = [];
        }

        return result;
    }

    private static string ExtensionSource(string name) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "extension", "src"), name, SearchOption.AllDirectories).Single();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenThymos.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OpenThymos.sln not found above the test output folder.");
    }

    [GeneratedRegex(@"^\s*(\w+): ('[^']*'|-?\d+),", RegexOptions.Multiline)]
    private static partial Regex ConstEntry();

    [GeneratedRegex(@"export interface (\w+) \{\n(.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex InterfaceDeclaration();

    [GeneratedRegex(@"^  (\w+)(\??): ([^;\n]+);", RegexOptions.Multiline)]
    private static partial Regex InterfaceField();

    [GeneratedRegex(@"export type (\w+) = Record<string, never>;")]
    private static partial Regex EmptyTypeDeclaration();

    [GeneratedRegex(@"export const (\w+)(?:Request|Notification) = new ")]
    private static partial Regex MessageType();
}
