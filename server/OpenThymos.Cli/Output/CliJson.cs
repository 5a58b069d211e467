// JSON output for `--json`: the protocol's wire shapes, indented, on stdout.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Output;

/// <summary>Serializes results the way the sidecar sends them.</summary>
internal static class CliJson
{
    /// <summary>Indented, camelCase, protocol-aware options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ProtocolJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>Writes <paramref name="value"/> as JSON to stdout.</summary>
    public static void Write<T>(T value) => Console.Out.WriteLine(Serialize(value));

    /// <summary>Writes JSON text this class serialized (exact data: the serializer escapes controls and non-ASCII) to stdout.</summary>
    public static void WriteText(string json) => Console.Out.WriteLine(json);

    /// <summary>Serializes <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
