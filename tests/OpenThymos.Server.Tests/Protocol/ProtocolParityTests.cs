// Keeps the two declarations of the wire contract equal: C# Protocol/ and extension/src/protocol.ts.
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests.Protocol;

public sealed partial class ProtocolParityTests
{
    private static readonly string TypeScript = File.ReadAllText(Path.Combine(RepositoryRoot(), "extension", "src", "protocol.ts"));

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

    private static Dictionary<string, string> ConstObject(string name)
    {
        var body = Regex.Match(TypeScript, $@"export const {name} = \{{(.*?)\}} as const;", RegexOptions.Singleline);
        Assert.True(body.Success, $"protocol.ts declares no `export const {name} = {{ … }} as const`");
        return ConstEntry().Matches(body.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    private static Dictionary<string, List<string>> Interfaces()
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match match in InterfaceDeclaration().Matches(TypeScript))
        {
            result[match.Groups[1].Value] = [.. InterfaceField().Matches(match.Groups[2].Value).Select(f => f.Groups[1].Value + f.Groups[2].Value).Order(StringComparer.Ordinal)];
        }

        foreach (Match match in EmptyTypeDeclaration().Matches(TypeScript))
        {
            result[match.Groups[1].Value] = [];
        }

        return result;
    }

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

    [GeneratedRegex(@"^  (\w+)(\??):", RegexOptions.Multiline)]
    private static partial Regex InterfaceField();

    [GeneratedRegex(@"export type (\w+) = Record<string, never>;")]
    private static partial Regex EmptyTypeDeclaration();

    [GeneratedRegex(@"export const (\w+)(?:Request|Notification) = new ")]
    private static partial Regex MessageType();
}
