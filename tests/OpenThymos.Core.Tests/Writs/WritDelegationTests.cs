// Delegation checks, written as data: each case is a child writ and whether it stays within the root writ.
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Writs;

public class WritDelegationTests
{
    // Null fragment means the child must be accepted; otherwise one reason must contain it.
    private static void Check(Writ child, string? expectedFragment)
    {
        var result = WritDelegation.CheckNarrower(TestWrits.Root, child);
        if (expectedFragment is null)
        {
            Assert.True(result.IsNarrower, string.Join(" | ", result.Reasons));
        }
        else
        {
            Assert.False(result.IsNarrower);
            Assert.Contains(result.Reasons, reason => reason.Contains(expectedFragment, StringComparison.Ordinal));
        }
    }

    [Fact] public void ANarrowerChildIsAccepted() => Check(TestWrits.Child, null);
    [Fact] public void AnIdenticalScopeIsAccepted() => Check(TestWrits.Child with { Include = ["src/**", "docs/*.md"] }, null);
    [Fact] public void AFileUnderAParentFolderGlobIsAccepted() => Check(TestWrits.Child with { Include = ["src/app.ts"] }, null);
    [Fact] public void BracesUnderAParentFolderGlobAreAccepted() => Check(TestWrits.Child with { Include = ["src/{a,b}/*.ts"] }, null);
    [Fact] public void AnythingUnderADoubleStarParentIsAccepted() => Assert.True(WritDelegation.CheckNarrower(TestWrits.Root with { Include = ["**"] }, TestWrits.Child with { Include = ["*.pem", "a/b"] }).IsNarrower);
    [Fact] public void AnIncludeOutsideTheParentIsRefused() => Check(TestWrits.Child with { Include = ["lib/**"] }, "Include 'lib/**'");
    [Fact] public void ASiblingFolderSharingAPrefixIsRefused() => Check(TestWrits.Child with { Include = ["srcx/**"] }, "Include 'srcx/**'");
    [Fact] public void APlainNameGlobUnderAFolderParentIsRefused() => Check(TestWrits.Child with { Include = ["*.ts"] }, "Include '*.ts'");
    [Fact] public void AWiderGlobThanANonFolderParentIsRefused() => Check(TestWrits.Child with { Include = ["docs/**"] }, "Include 'docs/**'");
    [Fact] public void ADoubleStarChildIsRefused() => Check(TestWrits.Child with { Include = ["**"] }, "Include '**'");
    [Fact] public void ABracedParentPrefixDoesNotCover() => Assert.False(WritDelegation.CheckNarrower(TestWrits.Root with { Include = ["{a,b}/**"] }, TestWrits.Child with { Include = ["{a,b}/x"] }).IsNarrower);
    [Fact] public void DroppingAParentExcludeIsRefused() => Check(TestWrits.Child with { Exclude = [] }, "drops the parent's exclude 'src/generated/**'");
    [Fact] public void AddingExcludesIsAccepted() => Check(TestWrits.Child with { Exclude = ["src/generated/**", "src/app/secret.ts"] }, null);
    [Fact] public void AnExtraEffectIsRefused() => Check(TestWrits.Child with { Effects = Effects.Modify | Effects.Delete }, "allows [delete]");
    [Fact] public void FewerEffectsAreAccepted() => Check(TestWrits.Child with { Effects = Effects.Modify }, null);
    [Fact] public void ALargerProposalBudgetIsRefused() => Check(TestWrits.Child with { Budget = new WritBudget(11, 1, 1) }, "maxProposals to 11");
    [Fact] public void ALargerFileBudgetIsRefused() => Check(TestWrits.Child with { Budget = new WritBudget(1, 6, 1) }, "maxFiles to 6");
    [Fact] public void ALargerByteBudgetIsRefused() => Check(TestWrits.Child with { Budget = new WritBudget(1, 1, 1001) }, "maxBytes to 1001");
    [Fact] public void AnUnlimitedChildOfALimitedParentIsRefused() => Check(TestWrits.Child with { Budget = WritBudget.Unlimited }, "has no maxFiles limit");
    [Fact] public void AnyBudgetUnderAnUnlimitedParentIsAccepted() => Assert.True(WritDelegation.CheckNarrower(TestWrits.Root with { Budget = WritBudget.Unlimited }, TestWrits.Child with { Budget = WritBudget.Unlimited }).IsNarrower);
    [Fact] public void EqualBudgetsAreAccepted() => Check(TestWrits.Child with { Budget = TestWrits.Root.Budget }, null);
    [Fact] public void ALaterExpiryIsRefused() => Check(TestWrits.Child with { ExpiresAt = TestWrits.Root.ExpiresAt.AddMilliseconds(1) }, "expire no later than the parent");
    [Fact] public void TheSameExpiryIsAccepted() => Check(TestWrits.Child with { ExpiresAt = TestWrits.Root.ExpiresAt }, null);
    [Fact] public void AWrongParentIdIsRefused() => Check(TestWrits.Child with { ParentId = "w_ffffffffffffffff" }, "set its parent id");
    [Fact] public void AnotherWorkspaceIsRefused() => Check(TestWrits.Child with { WorkspaceId = "ws-2" }, "is for workspace 'ws-2'");
    [Fact] public void AnInvalidChildGlobIsRefused() => Check(TestWrits.Child with { Include = ["src/[a"] }, "Glob 'src/[a' is invalid");
    [Fact] public void EveryProblemIsListed() => Assert.Equal(3, WritDelegation.CheckNarrower(TestWrits.Root, TestWrits.Child with { Include = ["lib/**"], Effects = Effects.All, Exclude = [] }).Reasons.Count);
}
