// Glob matching, written as data: each case is a pattern, a path and whether it should match.
using OpenThymos.Core.Globs;
using Xunit;

namespace OpenThymos.Core.Tests.Globs;

public class GlobTests
{
    private static void Check(string pattern, string path, bool expected) =>
        Assert.True(Glob.Parse(pattern).IsMatch(path) == expected, $"'{pattern}' on '{path}' should be {expected}");

    private static void Invalid(string pattern, string expectedFragment)
    {
        var error = Assert.Throws<InvalidGlobException>(() => Glob.Parse(pattern));
        Assert.Contains($"'{pattern}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    [Fact] public void StarMatchesWithinOneSegment() => Check("src/*.ts", "src/app.ts", true);
    [Fact] public void StarDoesNotCrossSlash() => Check("src/*.ts", "src/a/app.ts", false);
    [Fact] public void StarMatchesAnEmptyRun() => Check("src/app*.ts", "src/app.ts", true);
    [Fact] public void StarMatchesDotfiles() => Check("src/*", "src/.eslintrc", true);
    [Fact] public void DoubleStarAtTheEndMatchesOneSegment() => Check("src/**", "src/a", true);
    [Fact] public void DoubleStarAtTheEndMatchesManySegments() => Check("src/**", "src/a/b/c.ts", true);
    [Fact] public void DoubleStarAtTheEndDoesNotMatchTheFolderItself() => Check("src/**", "src", false);
    [Fact] public void DoubleStarAtTheEndDoesNotMatchASiblingWithTheSamePrefix() => Check("src/**", "srcx/a", false);
    [Fact] public void LeadingDoubleStarMatchesZeroSegments() => Check("**/x.ts", "x.ts", true);
    [Fact] public void LeadingDoubleStarMatchesManySegments() => Check("**/x.ts", "a/b/x.ts", true);
    [Fact] public void LeadingDoubleStarStillNeedsTheWholeName() => Check("**/x.ts", "a/bx.ts", false);
    [Fact] public void MiddleDoubleStarMatchesZeroSegments() => Check("a/**/b.ts", "a/b.ts", true);
    [Fact] public void MiddleDoubleStarMatchesManySegments() => Check("a/**/b.ts", "a/x/y/b.ts", true);
    [Fact] public void LoneDoubleStarMatchesEverything() => Check("**", "a/b/c", true);
    [Fact] public void LoneDoubleStarMatchesATopLevelFile() => Check("**", "README.md", true);
    [Fact] public void QuestionMarkMatchesOneCharacter() => Check("a?.ts", "ab.ts", true);
    [Fact] public void QuestionMarkNeedsExactlyOneCharacter() => Check("a?.ts", "a.ts", false);
    [Fact] public void QuestionMarkDoesNotMatchSlash() => Check("a?b", "a/b", false);
    [Fact] public void ClassMatchesAListedCharacter() => Check("file[abc].ts", "fileb.ts", true);
    [Fact] public void ClassRefusesAnUnlistedCharacter() => Check("file[abc].ts", "filed.ts", false);
    [Fact] public void ClassRangeMatches() => Check("v[0-9].txt", "v7.txt", true);
    [Fact] public void ClassRangeRefusesOutside() => Check("v[0-9].txt", "vx.txt", false);
    [Fact] public void NegatedClassRefusesTheListedCharacter() => Check("[!a]*.ts", "app.ts", false);
    [Fact] public void NegatedClassMatchesOthers() => Check("[!a]*.ts", "main.ts", true);
    [Fact] public void NegatedClassNeverMatchesSlash() => Check("a[!x]b", "a/b", false);
    [Fact] public void ClassRangeSpanningSlashStillNeverMatchesSlash() => Check("a[+-9]b", "a/b", false);
    [Fact] public void ClassRangeSpanningSlashMatchesOtherMembers() => Check("a[+-9]b", "a5b", true);
    [Fact] public void ClosingBracketFirstInAClassIsLiteral() => Check("a[]x]b", "a]b", true);
    [Fact] public void EscapedDashInAClassIsLiteral() => Check("a[x\\-z]b", "a-b", true);
    [Fact] public void EscapedDashInAClassIsNotARange() => Check("a[x\\-z]b", "ayb", false);
    [Fact] public void BracesMatchTheFirstAlternative() => Check("src/*.{ts,tsx}", "src/a.ts", true);
    [Fact] public void BracesMatchTheSecondAlternative() => Check("src/*.{ts,tsx}", "src/a.tsx", true);
    [Fact] public void BracesRefuseOtherText() => Check("src/*.{ts,tsx}", "src/a.js", false);
    [Fact] public void BracesMayHoldSlashes() => Check("{src,lib/core}/**", "lib/core/a.ts", true);
    [Fact] public void BracesMayHoldAnEmptyAlternative() => Check("a.ts{,.bak}", "a.ts.bak", true);
    [Fact] public void NestedBracesExpand() => Check("{a,b{c,d}}.ts", "bd.ts", true);
    [Fact] public void BracesInsideAClassAreLiteral() => Check("a[{]b", "a{b", true);
    [Fact] public void PatternWithoutSlashMatchesAtTheRoot() => Check("*.pem", "key.pem", true);
    [Fact] public void PatternWithoutSlashMatchesAtAnyDepth() => Check("*.pem", "a/b/key.pem", true);
    [Fact] public void PatternWithoutSlashMatchesOnlyTheLastSegment() => Check("*.pem", "a.pem/b", false);
    [Fact] public void DotEnvStarMatchesNestedEnvFiles() => Check(".env*", "config/.env.local", true);
    [Fact] public void PatternWithSlashIsAnchoredAtTheRoot() => Check("src/*.ts", "lib/src/a.ts", false);
    [Fact] public void LeadingSlashAnchorsAPlainName() => Check("/Makefile", "sub/Makefile", false);
    [Fact] public void LeadingSlashStillMatchesAtTheRoot() => Check("/Makefile", "Makefile", true);
    [Fact] public void MatchingIsCaseSensitive() => Check("*.TS", "a.ts", false);
    [Fact] public void RegexCharactersAreLiteral() => Check("a+(b).ts", "a+(b).ts", true);
    [Fact] public void DotIsLiteral() => Check("a.ts", "axts", false);
    [Fact] public void EscapedStarIsLiteral() => Check("a\\*.ts", "a*.ts", true);
    [Fact] public void EscapedStarDoesNotActAsAWildcard() => Check("a\\*.ts", "ab.ts", false);
    [Fact] public void NonAsciiNamesMatch() => Check("docs/*.md", "docs/café.md", true);

    [Fact] public void EmptyPatternIsInvalid() => Invalid("", "empty");
    [Fact] public void UnclosedClassIsInvalid() => Invalid("a[bc", "'['");
    [Fact] public void UnclosedBraceIsInvalid() => Invalid("a{b,c", "'{'");
    [Fact] public void StrayClosingBraceIsInvalid() => Invalid("a}b", "'}'");
    [Fact] public void BackwardsRangeIsInvalid() => Invalid("[z-a]", "backwards");
    [Fact] public void DoubleStarMixedIntoASegmentIsInvalid() => Invalid("src/a**", "whole segment");
    [Fact] public void TrailingSlashIsInvalid() => Invalid("src/", "ends with '/'");
    [Fact] public void EmptySegmentIsInvalid() => Invalid("src//a", "empty segment");
    [Fact] public void LoneBackslashIsInvalid() => Invalid("a\\", "lone");
    [Fact] public void HugeBraceExpansionIsInvalid() => Invalid("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b}", "alternatives");
    [Fact] public void TryParseReportsTheErrorWithoutThrowing() => Assert.False(Glob.TryParse("a[", out _, out _));
}
