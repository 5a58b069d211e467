// Strict reader for .thymos/policy.json: every mistake is reported with its line, position and fix.
using System.Text.Json;
using OpenThymos.Core.Globs;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Policy;

/// <summary>
/// Reads the policy file token by token so that unknown properties, wrong types and bad globs can
/// all be reported at the line where they occur (a plain deserializer only gives positions for
/// syntax errors). The property lists here must equal docs/policy.schema.json; a test checks it.
/// </summary>
internal sealed class PolicyFileReader
{
    internal static readonly IReadOnlyList<string> TopLevelProperties = ["$schema", "version", "defaultOutcome", "rules"];
    internal static readonly IReadOnlyList<string> RuleProperties = ["name", "paths", "exclude", "effects", "maxChangedLines", "maxBytes", "outcome"];

    private readonly byte[] _bytes;
    private readonly string _source;

    private PolicyFileReader(byte[] bytes, string source)
    {
        _bytes = bytes;
        _source = source;
    }

    public static (int Version, PolicyOutcome DefaultOutcome, IReadOnlyList<PolicyRule> Rules) Read(byte[] bytes, string source)
    {
        var reader = new PolicyFileReader(bytes, source);
        // A UTF-8 byte order mark is legal in files editors write, but not in JSON text itself.
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var json = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        try
        {
            return reader.ReadPolicy(ref json, start);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var detail = cut > 0 ? message[..cut] : message;
            throw new PolicyLoadException(source, (e.LineNumber ?? -1) + 1, (e.BytePositionInLine ?? -1) + 1, $"the file is not valid JSON ({detail.TrimEnd('.')}); fix the syntax, for example a missing comma or quote.");
        }
    }

    private (int, PolicyOutcome, IReadOnlyList<PolicyRule>) ReadPolicy(ref Utf8JsonReader json, int offset)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, offset, "the file must hold one JSON object such as {\"version\": 1, \"rules\": []}.");
        }

        int? version = null;
        var defaultOutcome = PolicyOutcome.RequireApproval;
        var rules = new List<PolicyRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = ReadPropertyName(ref json, offset, seen, TopLevelProperties, "the top level");
            json.Read();
            switch (name)
            {
                case "$schema":
                    ExpectString(ref json, offset, name);
                    break;
                case "version":
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out var v) || v != 1)
                    {
                        throw Fail(ref json, offset, "\"version\" must be the number 1, the only policy format this runtime reads.");
                    }

                    version = v;
                    break;
                case "defaultOutcome":
                    defaultOutcome = ReadOutcome(ref json, offset, name);
                    break;
                default:
                    if (json.TokenType != JsonTokenType.StartArray)
                    {
                        throw Fail(ref json, offset, "\"rules\" must be an array of rule objects.");
                    }

                    while (json.Read() && json.TokenType != JsonTokenType.EndArray)
                    {
                        var rule = ReadRule(ref json, offset, rules.Count);
                        if (rules.Any(existing => existing.Name == rule.Name))
                        {
                            throw Fail(ref json, offset, $"two rules are named '{rule.Name}'; give each rule a unique name so traces are unambiguous.");
                        }

                        rules.Add(rule);
                    }

                    break;
            }
        }

        // Reading once more makes the reader reject anything after the closing brace.
        json.Read();
        if (version is null)
        {
            throw new PolicyLoadException(_source, 0, 0, "\"version\" is missing; add \"version\": 1 at the top level.");
        }

        return (version.Value, defaultOutcome, rules);
    }

    private PolicyRule ReadRule(ref Utf8JsonReader json, int offset, int index)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, offset, $"rule {index + 1} must be an object with \"name\", \"paths\" and \"outcome\".");
        }

        var ruleStart = json.TokenStartIndex;
        string? name = null;
        IReadOnlyList<string>? paths = null;
        IReadOnlyList<string>? exclude = null;
        Effects? effects = null;
        int? maxLines = null;
        long? maxBytes = null;
        PolicyOutcome? outcome = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var where = $"rule {index + 1}";
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var property = ReadPropertyName(ref json, offset, seen, RuleProperties, where);
            json.Read();
            switch (property)
            {
                case "name":
                    name = ExpectString(ref json, offset, property);
                    if (string.IsNullOrWhiteSpace(name))
                    {
                        throw Fail(ref json, offset, $"{where} has an empty \"name\"; name it, for example \"small-src-edits\".");
                    }

                    where = $"rule '{name}'";
                    break;
                case "paths":
                    paths = ReadGlobs(ref json, offset, property, where, allowEmpty: false);
                    break;
                case "exclude":
                    exclude = ReadGlobs(ref json, offset, property, where, allowEmpty: true);
                    break;
                case "effects":
                    effects = ReadEffects(ref json, offset, where);
                    break;
                case "maxChangedLines":
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out var lines) || lines < 0)
                    {
                        throw Fail(ref json, offset, $"{where}: \"maxChangedLines\" must be a whole number of 0 or more.");
                    }

                    maxLines = lines;
                    break;
                case "maxBytes":
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt64(out var bytes) || bytes < 0)
                    {
                        throw Fail(ref json, offset, $"{where}: \"maxBytes\" must be a whole number of 0 or more.");
                    }

                    maxBytes = bytes;
                    break;
                default:
                    outcome = ReadOutcome(ref json, offset, property);
                    break;
            }
        }

        var missing = name is null ? "name" : paths is null ? "paths" : outcome is null ? "outcome" : null;
        if (missing is not null)
        {
            throw Fail(ruleStart, offset, $"{where} has no \"{missing}\"; every rule needs \"name\", \"paths\" and \"outcome\".");
        }

        return new PolicyRule(name!, paths!, exclude, effects, maxLines, maxBytes, outcome!.Value);
    }

    private string ReadPropertyName(ref Utf8JsonReader json, int offset, HashSet<string> seen, IReadOnlyList<string> allowed, string where)
    {
        var name = json.GetString()!;
        if (!allowed.Contains(name))
        {
            throw Fail(ref json, offset, $"unknown property \"{name}\" in {where}; allowed properties are {string.Join(", ", allowed.Select(p => $"\"{p}\""))}. Check the spelling.");
        }

        if (!seen.Add(name))
        {
            throw Fail(ref json, offset, $"property \"{name}\" appears twice in {where}; keep one.");
        }

        return name;
    }

    private string ExpectString(ref Utf8JsonReader json, int offset, string property)
    {
        if (json.TokenType != JsonTokenType.String)
        {
            throw Fail(ref json, offset, $"\"{property}\" must be a string.");
        }

        return json.GetString()!;
    }

    private PolicyOutcome ReadOutcome(ref Utf8JsonReader json, int offset, string property)
    {
        var text = json.TokenType == JsonTokenType.String ? json.GetString()! : null;
        if (text is null || !PolicyOutcomeNames.TryParse(text, out var outcome))
        {
            throw Fail(ref json, offset, $"\"{property}\" must be one of \"auto-approve\", \"require-approval\" or \"deny\".");
        }

        return outcome;
    }

    private List<string> ReadGlobs(ref Utf8JsonReader json, int offset, string property, string where, bool allowEmpty)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(ref json, offset, $"{where}: \"{property}\" must be an array of glob strings such as [\"src/**\"].");
        }

        var globs = new List<string>();
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            var pattern = ExpectString(ref json, offset, property);
            if (!Glob.TryParse(pattern, out _, out var error))
            {
                throw Fail(ref json, offset, $"{where}: {error}");
            }

            globs.Add(pattern);
        }

        if (!allowEmpty && globs.Count == 0)
        {
            throw Fail(ref json, offset, $"{where}: \"{property}\" is empty; list at least one glob such as \"src/**\".");
        }

        return globs;
    }

    private Effects ReadEffects(ref Utf8JsonReader json, int offset, string where)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(ref json, offset, $"{where}: \"effects\" must be an array such as [\"create\", \"modify\"].");
        }

        var effects = Effects.None;
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            var text = json.TokenType == JsonTokenType.String ? json.GetString()! : string.Empty;
            if (!EffectNames.TryParse(text, out var effect))
            {
                throw Fail(ref json, offset, $"{where}: effects must be \"create\", \"modify\", \"delete\" or \"rename\".");
            }

            if ((effects & effect) != 0)
            {
                throw Fail(ref json, offset, $"{where}: effect \"{text}\" is listed twice; keep one.");
            }

            effects |= effect;
        }

        if (effects == Effects.None)
        {
            throw Fail(ref json, offset, $"{where}: \"effects\" is empty; list effects or leave the property out to cover all of them.");
        }

        return effects;
    }

    private PolicyLoadException Fail(ref Utf8JsonReader json, int offset, string problem) => Fail(json.TokenStartIndex, offset, problem);

    // Utf8JsonReader exposes only a byte offset for the current token; turn it into a line and position.
    private PolicyLoadException Fail(long tokenStart, int offset, string problem)
    {
        var index = (int)tokenStart + offset;
        var before = _bytes.AsSpan(0, Math.Min(index, _bytes.Length));
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        // Bytes, like System.Text.Json's own BytePositionInLine, so both kinds of error agree.
        var position = before.Length - lineStart + 1;
        return new PolicyLoadException(_source, line, position, problem);
    }
}
