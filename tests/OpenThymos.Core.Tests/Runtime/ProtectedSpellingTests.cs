// Protected paths hold in every spelling, and code-execution and credential files always need a human, even
// under a policy that auto-approves every small edit.
using OpenThymos.Core.Policy;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ProtectedSpellingTests
{
    private const string AutoApproveSmallEdits = """
        { "version": 1, "defaultOutcome": "require-approval",
          "rules": [ { "name": "small-edits", "paths": ["**"], "maxChangedLines": 10, "outcome": "auto-approve" } ] }
        """;

    [Theory]
    [InlineData(".GIT/hooks/pre-commit")]
    [InlineData(".Git/config")]
    [InlineData(".git./config")]
    [InlineData(".git /config")]
    [InlineData(".git\u200B/config")]
    [InlineData(".THYMOS/policy.json")]
    [InlineData("sub/.thymos/policy.json")]
    [InlineData(".vscode/settings.json")]
    [InlineData(".vscode/tasks.json")]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData(".husky/pre-commit")]
    [InlineData("package.json")]
    [InlineData("Makefile")]
    [InlineData(".git-credentials")]
    [InlineData(".aws/credentials")]
    [InlineData(".kube/config")]
    [InlineData(".pgpass")]
    [InlineData("id_dsa")]
    [InlineData(".ENV")]
    [InlineData("server.PEM")]
    public void AProtectedSpellingIsNeverAutoApproved(string path)
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        var result = harness.Submit(RuntimeHarness.Create(path, "x\n"));

        Assert.NotEqual(SubmitOutcome.AutoApproved, result.Outcome);
        Assert.False(File.Exists(harness.Workspace.PathOf(path)), $"'{path}' was written without a human");
    }

    [Theory]
    [InlineData(".GIT/hooks/pre-commit")]
    [InlineData(".git./config")]
    [InlineData("sub/.thymos/policy.json")]
    [InlineData("vendor/x/.git/config")]
    public void RepositoryMetadataAndTheRuntimesFolderAreDeniedInEverySpellingAndAtAnyDepth(string path)
    {
        using var harness = new RuntimeHarness(policyJson: AutoApproveSmallEdits);
        var result = harness.Submit(RuntimeHarness.Create(path, "x\n"));
        Assert.Equal(RuntimeErrorCode.PolicyDenied, result.Error?.Code);
    }

    [Fact]
    public void APolicyCanDenyACodeExecutionPathButNotAutoApproveIt()
    {
        var denying = """
            { "version": 1, "defaultOutcome": "auto-approve",
              "rules": [ { "name": "no-manifests", "paths": ["package.json"], "outcome": "deny" } ] }
            """;
        var denied = PolicyEvaluator.Evaluate(WorkspacePolicy.Parse(System.Text.Encoding.UTF8.GetBytes(denying), "test"), new FileChange("PACKAGE.JSON", OpenThymos.Core.Writs.Effects.Modify, 1, 10));
        Assert.Equal(PolicyOutcome.Deny, denied.Outcome);

        var approving = """{ "version": 1, "defaultOutcome": "auto-approve", "rules": [] }""";
        var held = PolicyEvaluator.Evaluate(WorkspacePolicy.Parse(System.Text.Encoding.UTF8.GetBytes(approving), "test"), new FileChange("sub/.vscode/tasks.json", OpenThymos.Core.Writs.Effects.Create, 1, 10));
        Assert.Equal((PolicyOutcome.RequireApproval, "builtin:**/.vscode/**"), (held.Outcome, held.DecidedBy));
    }

    [Fact]
    public void AnotherSpellingOfAnExcludedPathIsNotAutoApproved()
    {
        var policy = """
            { "version": 1, "defaultOutcome": "require-approval",
              "rules": [ { "name": "src", "paths": ["src/**"], "exclude": ["src/secret/**"], "outcome": "auto-approve" } ] }
            """;
        var trace = PolicyEvaluator.Evaluate(WorkspacePolicy.Parse(System.Text.Encoding.UTF8.GetBytes(policy), "test"), new FileChange("src/SECRET./a.txt", OpenThymos.Core.Writs.Effects.Create, 1, 10));
        Assert.Equal(PolicyOutcome.RequireApproval, trace.Outcome);
    }

    [Fact]
    public void EveryBuiltinPatternIsListedInTheDocumentation()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "policy.md"));
        var missing = BuiltinProtections.DeniedPatterns.Concat(BuiltinProtections.ApprovalPatterns).Where(pattern => !docs.Contains($"`{pattern}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"docs/policy.md does not list: {string.Join(", ", missing)}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenThymos.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (OpenThymos.sln) was not found above the test assembly.");
    }
}
