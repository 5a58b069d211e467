// Writ checks, written as data: each case is a writ, a change and the refusal code expected (null = allowed).
using OpenThymos.Core.Writs;
using Xunit;

namespace OpenThymos.Core.Tests.Writs;

public class WritAuthorityTests
{
    private static readonly DateTimeOffset Now = TestWrits.Issued.AddMinutes(5);

    private static WritCheck Check(Writ writ, string path, Effects effect, WritRefusalCode? expected, WritUsage? used = null, long bytes = 10, DateTimeOffset? now = null, params Writ[] ancestors)
    {
        var result = WritAuthority.Check(writ, ancestors, used ?? WritUsage.None, path, effect, bytes, now ?? Now);
        Assert.Equal(expected, result.Code);
        if (expected is not null)
        {
            Assert.Contains(path, result.Reason, StringComparison.Ordinal);
        }

        return result;
    }

    private static WritUsage Used(int proposals, long bytes, params string[] files) => new(proposals, files.ToHashSet(StringComparer.Ordinal), bytes);

    [Fact] public void APathInScopeIsAllowed() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, null);
    [Fact] public void ASecondIncludeGlobAlsoAllows() => Check(TestWrits.Root, "docs/guide.md", Effects.Create, null);
    [Fact] public void APathOutsideEveryIncludeIsOutOfScope() => Check(TestWrits.Root, "build.sh", Effects.Modify, WritRefusalCode.OutOfScope);
    [Fact] public void AnExcludedPathIsRefused() => Check(TestWrits.Root, "src/generated/api.ts", Effects.Modify, WritRefusalCode.Excluded);
    [Fact] public void AnEffectTheWritLacksIsRefused() => Check(TestWrits.Root, "src/app.ts", Effects.Delete, WritRefusalCode.EffectNotAllowed);
    [Fact] public void ATimeBeforeIssueIsNotYetValid() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, WritRefusalCode.NotYetValid, now: TestWrits.Issued.AddMilliseconds(-1));
    [Fact] public void TheIssueInstantIsValid() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, null, now: TestWrits.Issued);
    [Fact] public void TheExpiryInstantIsExpired() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, WritRefusalCode.Expired, now: TestWrits.Issued.AddHours(1));
    [Fact] public void TheLastProposalWithinBudgetIsAllowed() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, null, Used(9, 0));
    [Fact] public void AProposalBeyondTheBudgetIsRefused() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, WritRefusalCode.BudgetProposals, Used(10, 0));
    [Fact] public void ASixthDistinctFileIsRefused() => Check(TestWrits.Root, "src/f.ts", Effects.Modify, WritRefusalCode.BudgetFiles, Used(1, 0, "src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts", "src/e.ts"));
    [Fact] public void ReTouchingAFileDoesNotCountAgain() => Check(TestWrits.Root, "src/e.ts", Effects.Modify, null, Used(1, 0, "src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts", "src/e.ts"));
    [Fact] public void BytesUpToTheBudgetAreAllowed() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, null, Used(0, 990), bytes: 10);
    [Fact] public void BytesBeyondTheBudgetAreRefused() => Check(TestWrits.Root, "src/app.ts", Effects.Modify, WritRefusalCode.BudgetBytes, Used(0, 991), bytes: 10);
    [Fact] public void AnUnlimitedBudgetAllowsAnything() => Check(TestWrits.Root with { Budget = WritBudget.Unlimited }, "src/app.ts", Effects.Modify, null, Used(1_000_000, long.MaxValue / 2), bytes: 10);
    [Fact] public void AChildInScopeWithinItsParentIsAllowed() => Check(TestWrits.Child, "src/app/main.ts", Effects.Modify, null, ancestors: TestWrits.Root);
    [Fact] public void AnAncestorsExcludeStillApplies() => Check(TestWrits.Child with { Include = ["src/**"], Exclude = [] }, "src/generated/x.ts", Effects.Modify, WritRefusalCode.Excluded, ancestors: TestWrits.Root);
    [Fact] public void AnAncestorsScopeStillApplies() => Check(TestWrits.Child with { Include = ["**"] }, "build.sh", Effects.Modify, WritRefusalCode.OutOfScope, ancestors: TestWrits.Root);
    [Fact] public void AnAncestorsEffectsStillApply() => Check(TestWrits.Child with { Effects = Effects.All }, "src/app/x.ts", Effects.Delete, WritRefusalCode.EffectNotAllowed, ancestors: TestWrits.Root);
    [Fact] public void AnExpiredAncestorExpiresTheChild() => Check(TestWrits.Child with { ExpiresAt = TestWrits.Issued.AddDays(1) }, "src/app/x.ts", Effects.Modify, WritRefusalCode.Expired, now: TestWrits.Issued.AddHours(2), ancestors: TestWrits.Root);

    [Fact] public void ReasonsNameTheWrit() => Assert.Contains("w_00000000000000aa", Check(TestWrits.Root, "build.sh", Effects.Modify, WritRefusalCode.OutOfScope).Reason, StringComparison.Ordinal);
    [Fact] public void ReasonsNameTheRefusingAncestor() => Assert.Contains("ancestor w_00000000000000aa", Check(TestWrits.Child with { Include = ["**"] }, "build.sh", Effects.Modify, WritRefusalCode.OutOfScope, ancestors: TestWrits.Root).Reason, StringComparison.Ordinal);
    [Fact] public void ReasonsSayWhatToDo() => Assert.Contains("Ask for a writ that includes 'delete'", Check(TestWrits.Root, "src/app.ts", Effects.Delete, WritRefusalCode.EffectNotAllowed).Reason, StringComparison.Ordinal);
    [Fact] public void SeveralEffectsAtOnceAreRejected() => Assert.Throws<ArgumentException>(() => WritAuthority.Check(TestWrits.Root, [], WritUsage.None, "src/a.ts", Effects.Create | Effects.Modify, 1, Now));
}
