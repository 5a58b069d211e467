// Loading .thymos/policy.json, written as data: each case is file text and the result or error expected.
using System.Text;
using System.Text.Json;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Policy;

public class WorkspacePolicyTests
{
    private static WorkspacePolicy Parse(string json) => WorkspacePolicy.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    private static void Check(string json, string expectedFragment)
    {
        var error = Assert.Throws<PolicyLoadException>(() => Parse(json));
        Assert.StartsWith("Policy file 'test.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    private const string Rule = """{ "name": "r", "paths": ["src/**"], "outcome": "deny" }""";

    [Fact] public void SyntaxErrorsNameLineAndPosition() => Check("{\n  \"version\": 1,\n  \"rules\": [,]\n}", "line 3, position 13");
    [Fact] public void UnknownTopLevelPropertiesAreRefused() => Check("""{"version": 1, "rulez": []}""", "unknown property \"rulez\"");
    [Fact] public void UnknownRulePropertiesAreRefusedWithTheirLine() => Check("{\"version\": 1, \"rules\": [\n {\"name\": \"r\", \"path\": [\"a\"], \"outcome\": \"deny\"}]}", "line 2, position 16: unknown property \"path\" in rule 'r'");
    [Fact] public void MissingVersionIsRefused() => Check("""{"rules": []}""", "\"version\" is missing");
    [Fact] public void OtherVersionsAreRefused() => Check("""{"version": 2}""", "must be the number 1");
    [Fact] public void UnknownOutcomesAreRefused() => Check("""{"version": 1, "defaultOutcome": "allow"}""", "\"auto-approve\", \"require-approval\" or \"deny\"");
    [Fact] public void UnknownEffectsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["a"], "effects": ["write"], "outcome": "deny"}]}""", "effects must be");
    [Fact] public void DuplicateEffectsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["a"], "effects": ["modify", "modify"], "outcome": "deny"}]}""", "listed twice");
    [Fact] public void InvalidGlobsAreRefusedAtLoad() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["src/[a"], "outcome": "deny"}]}""", "Glob 'src/[a' is invalid");
    [Fact] public void RulesWithoutPathsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "outcome": "deny"}]}""", "rule 'r' has no \"paths\"");
    [Fact] public void RulesWithEmptyPathsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": [], "outcome": "deny"}]}""", "\"paths\" is empty");
    [Fact] public void RulesWithoutOutcomeAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["a"]}]}""", "has no \"outcome\"");
    [Fact] public void NegativeLimitsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["a"], "maxBytes": -1, "outcome": "deny"}]}""", "0 or more");
    [Fact] public void FractionalLimitsAreRefused() => Check("""{"version": 1, "rules": [{"name": "r", "paths": ["a"], "maxChangedLines": 1.5, "outcome": "deny"}]}""", "whole number");
    [Fact] public void DuplicatePropertiesAreRefused() => Check("""{"version": 1, "version": 1}""", "appears twice");
    [Fact] public void DuplicateRuleNamesAreRefused() => Check($$"""{"version": 1, "rules": [{{Rule}}, {{Rule}}]}""", "two rules are named 'r'");
    [Fact] public void NonObjectFilesAreRefused() => Check("[]", "one JSON object");
    [Fact] public void TrailingContentIsRefused() => Check("""{"version": 1} {}""", "not valid JSON");
    [Fact] public void CommentsAreRefused() => Check("{\"version\": 1 // one\n}", "not valid JSON");
    [Fact] public void ASchemaLinkIsAccepted() => Assert.Empty(Parse("""{"$schema": "../docs/policy.schema.json", "version": 1}""").Rules);
    [Fact] public void AByteOrderMarkIsAccepted() => Assert.Equal(1, Parse("\uFEFF{\"version\": 1}").Version);
    [Fact] public void DefaultOutcomeDefaultsToRequireApproval() => Assert.Equal(PolicyOutcome.RequireApproval, Parse("""{"version": 1}""").DefaultOutcome);
    [Fact] public void RulesKeepEveryField() => Assert.Equal(("r", Effects.Modify | Effects.Create, 3, 9L, PolicyOutcome.AutoApprove, "x/**"), ReadFirstRule("""{"version": 1, "rules": [{"name": "r", "paths": ["src/**"], "exclude": ["x/**"], "effects": ["modify", "create"], "maxChangedLines": 3, "maxBytes": 9, "outcome": "auto-approve"}]}"""));
    [Fact] public void TheDefaultPolicyHashesItsCanonicalText() => Assert.Equal(ContentHash.Of(Encoding.UTF8.GetBytes(WorkspacePolicy.DefaultText)), WorkspacePolicy.Default.Hash);
    [Fact] public void TheDefaultPolicyHasNoRules() => Assert.Equal((PolicyOutcome.RequireApproval, 0), (WorkspacePolicy.Default.DefaultOutcome, WorkspacePolicy.Default.Rules.Count));

    [Fact]
    public void AWorkspaceWithoutAPolicyFileGetsTheDefault()
    {
        using var workspace = new TempWorkspace();
        Assert.Same(WorkspacePolicy.Default, WorkspacePolicy.Load(workspace.Workspace));
    }

    [Fact]
    public void APolicyFileIsHashedByItsExactBytes()
    {
        using var workspace = new TempWorkspace();
        var text = "{ \"version\": 1,\n  \"defaultOutcome\": \"deny\" }\n";
        var path = workspace.Write(".thymos/policy.json", text);
        var policy = WorkspacePolicy.Load(workspace.Workspace);
        Assert.Equal((ContentHash.Of(Encoding.UTF8.GetBytes(text)), PolicyOutcome.Deny, path), (policy.Hash, policy.DefaultOutcome, policy.SourcePath));
    }

    [Fact]
    public void LoadErrorsNameTheFile()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write(".thymos/policy.json", "{ \"version\": 1, }");
        Assert.Contains($"Policy file '{path}'", Assert.Throws<PolicyLoadException>(() => WorkspacePolicy.Load(workspace.Workspace)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicyThatIsADirectoryIsRefused()
    {
        using var workspace = new TempWorkspace();
        workspace.Folder(".thymos/policy.json");
        Assert.Contains("not a regular file", Assert.Throws<PolicyLoadException>(() => WorkspacePolicy.Load(workspace.Workspace)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicyThatIsAFifoIsRefusedInsteadOfHanging()
    {
        using var workspace = new TempWorkspace();
        workspace.Folder(".thymos");
        workspace.Fifo(".thymos/policy.json");
        Assert.Contains("not a regular file", Assert.Throws<PolicyLoadException>(() => WorkspacePolicy.Load(workspace.Workspace)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkedPolicyFileIsRefusedBecauseItsTargetCouldChangeWithoutAPolicyChange()
    {
        using var workspace = new TempWorkspace();
        var shared = workspace.Write("shared/policy.json", "{\"version\": 1, \"defaultOutcome\": \"deny\"}");
        workspace.Folder(".thymos");
        workspace.Link(".thymos/policy.json", shared);
        var refusal = Assert.Throws<PolicyLoadException>(() => WorkspacePolicy.Load(workspace.Workspace));
        Assert.Contains("symbolic link", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("previous policy stays in force", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSchemaListsExactlyThePropertiesTheLoaderAccepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(FindDocs("policy.schema.json")));
        var topLevel = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var rule = schema.RootElement.GetProperty("$defs").GetProperty("rule").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(PolicyFileReader.TopLevelProperties.Order(StringComparer.Ordinal), topLevel);
        Assert.Equal(PolicyFileReader.RuleProperties.Order(StringComparer.Ordinal), rule);
    }

    [Fact]
    public void TheSchemaListsTheSameOutcomesAsTheLoader()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(FindDocs("policy.schema.json")));
        var outcomes = schema.RootElement.GetProperty("$defs").GetProperty("outcome").GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(PolicyOutcomeNames.All, outcomes);
    }

    private static (string, Effects?, int?, long?, PolicyOutcome, string) ReadFirstRule(string json)
    {
        var rule = Parse(json).Rules[0];
        return (rule.Name, rule.Effects, rule.MaxChangedLines, rule.MaxBytes, rule.Outcome, rule.Exclude[0]);
    }

    // The docs folder sits at the repository root, above the test binaries.
    internal static string FindDocs(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"docs/{name} was not found above {AppContext.BaseDirectory}.");
    }
}
