// Policy decisions, written as data: each case is a change and the verdict and deciding rule expected.
using System.Text;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Policy;

public class PolicyEvaluatorTests
{
    private const string Sample = """
        {
          "version": 1,
          "defaultOutcome": "require-approval",
          "rules": [
            { "name": "no-secrets-dir", "paths": ["secrets/**"], "outcome": "deny" },
            { "name": "small-src-edits", "paths": ["src/**"], "exclude": ["src/generated/**"], "effects": ["modify"], "maxChangedLines": 40, "maxBytes": 100000, "outcome": "auto-approve" },
            { "name": "docs", "paths": ["docs/**", "*.md"], "outcome": "auto-approve" },
            { "name": "anything-goes", "paths": ["sandbox/**"], "outcome": "auto-approve" }
          ]
        }
        """;

    private static readonly WorkspacePolicy Policy = WorkspacePolicy.Parse(Encoding.UTF8.GetBytes(Sample), "sample");

    private static PolicyFileTrace Check(string path, Effects effect, PolicyOutcome expected, string decidedBy, int lines = 1, long bytes = 10)
    {
        var trace = PolicyEvaluator.Evaluate(Policy, new FileChange(path, effect, lines, bytes));
        Assert.Equal((expected, decidedBy), (trace.Outcome, trace.DecidedBy));
        return trace;
    }

    [Fact] public void SmallSourceEditsAreAutoApproved() => Check("src/app.ts", Effects.Modify, PolicyOutcome.AutoApprove, "small-src-edits");
    [Fact] public void EditsAtTheLineLimitAreAutoApproved() => Check("src/app.ts", Effects.Modify, PolicyOutcome.AutoApprove, "small-src-edits", lines: 40);
    [Fact] public void EditsOverTheLineLimitFallToTheDefault() => Check("src/app.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default", lines: 41);
    [Fact] public void EditsOverTheByteLimitFallToTheDefault() => Check("src/app.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default", bytes: 100001);
    [Fact] public void EffectsOutsideTheRuleFallToTheDefault() => Check("src/app.ts", Effects.Delete, PolicyOutcome.RequireApproval, "default");
    [Fact] public void ExcludedPathsFallToTheDefault() => Check("src/generated/api.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default");
    [Fact] public void UnmatchedPathsGetTheDefault() => Check("build.sh", Effects.Modify, PolicyOutcome.RequireApproval, "default");
    [Fact] public void RulesWithoutEffectsCoverEveryEffect() => Check("docs/guide.md", Effects.Delete, PolicyOutcome.AutoApprove, "docs");
    [Fact] public void PlainNameGlobsInRulesMatchAtAnyDepth() => Check("lib/README.md", Effects.Create, PolicyOutcome.AutoApprove, "docs");
    [Fact] public void TheFirstMatchingRuleWins() => Check("secrets/a.md", Effects.Modify, PolicyOutcome.Deny, "no-secrets-dir");
    [Fact] public void GitFolderIsDeniedEvenWhenARuleApproves() => Check(".git/config", Effects.Modify, PolicyOutcome.Deny, "builtin:**/.git/**");
    [Fact] public void GitFolderItselfIsDenied() => Check(".git", Effects.Create, PolicyOutcome.Deny, "builtin:.git");
    [Fact] public void NestedGitFoldersAreDenied() => Check("sandbox/sub/.git/HEAD", Effects.Modify, PolicyOutcome.Deny, "builtin:**/.git/**");
    [Fact] public void ThymosFolderIsDenied() => Check(".thymos/policy.json", Effects.Modify, PolicyOutcome.Deny, "builtin:**/.thymos/**");
    [Fact] public void ThymosFolderItselfIsDenied() => Check(".thymos", Effects.Delete, PolicyOutcome.Deny, "builtin:.thymos");
    [Fact] public void EnvFilesNeedApprovalEvenWhenARuleApproves() => Check("sandbox/.env.local", Effects.Modify, PolicyOutcome.RequireApproval, "builtin:.env*");
    [Fact] public void PemFilesNeedApproval() => Check("sandbox/certs/server.pem", Effects.Create, PolicyOutcome.RequireApproval, "builtin:*.pem");
    [Fact] public void SshKeysNeedApproval() => Check("sandbox/id_ed25519.pub", Effects.Create, PolicyOutcome.RequireApproval, "builtin:id_ed25519*");
    [Fact] public void NpmrcNeedsApproval() => Check("sandbox/.npmrc", Effects.Modify, PolicyOutcome.RequireApproval, "builtin:.npmrc");
    [Fact] public void ADenyRuleOnASecretStaysDeny() => Check("secrets/.env", Effects.Modify, PolicyOutcome.Deny, "no-secrets-dir");
    [Fact] public void FilesThatOnlyLookLikeSecretsAreNotRaised() => Check("sandbox/keys.ts", Effects.Modify, PolicyOutcome.AutoApprove, "anything-goes");

    [Fact]
    public void TheTraceSaysWhyEarlierRulesDidNotMatch() => Assert.Equal(
        ["no-secrets-dir: path does not match [secrets/**]", "small-src-edits: path excluded by 'src/generated/**'", "docs: path does not match [docs/**, *.md]", "anything-goes: path does not match [sandbox/**]"],
        Check("src/generated/x.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default").NotMatched);

    [Fact] public void TheTraceNamesTheEffectMismatch() => Assert.Contains("small-src-edits: effect 'delete' is not in [modify]", Check("src/a.ts", Effects.Delete, PolicyOutcome.RequireApproval, "default").NotMatched);
    [Fact] public void TheTraceNamesTheLineLimit() => Assert.Contains("small-src-edits: 41 changed lines exceed maxChangedLines 40", Check("src/a.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default", lines: 41).NotMatched);
    [Fact] public void TheTraceNamesTheByteLimit() => Assert.Contains("small-src-edits: 100001 bytes exceed maxBytes 100000", Check("src/a.ts", Effects.Modify, PolicyOutcome.RequireApproval, "default", bytes: 100001).NotMatched);

    [Fact]
    public void AProposalTakesTheStrictestFileOutcome()
    {
        var trace = PolicyEvaluator.Evaluate(Policy, [new FileChange("src/a.ts", Effects.Modify, 1, 1), new FileChange(".git/HEAD", Effects.Modify, 1, 1), new FileChange("build.sh", Effects.Modify, 1, 1)]);
        Assert.Equal((PolicyOutcome.Deny, 3, Policy.Hash.ToString()), (trace.Outcome, trace.Files.Count, trace.PolicyHash));
    }

    [Fact] public void AProposalOfApprovedFilesIsApproved() => Assert.Equal(PolicyOutcome.AutoApprove, PolicyEvaluator.Evaluate(Policy, [new FileChange("src/a.ts", Effects.Modify, 1, 1), new FileChange("docs/b.md", Effects.Create, 1, 1)]).Outcome);
    [Fact] public void AnEmptyProposalIsRejected() => Assert.Throws<ArgumentException>(() => PolicyEvaluator.Evaluate(Policy, Array.Empty<FileChange>()));
    [Fact] public void AChangeWithSeveralEffectsIsRejected() => Assert.Throws<ArgumentException>(() => PolicyEvaluator.Evaluate(Policy, new FileChange("a", Effects.Create | Effects.Modify, 1, 1)));
    [Fact] public void TheDefaultPolicyRequiresApproval() => Assert.Equal(PolicyOutcome.RequireApproval, PolicyEvaluator.Evaluate(WorkspacePolicy.Default, new FileChange("src/a.ts", Effects.Modify, 1, 1)).Outcome);
}
