// Glob patterns are bounded before any work is done on them; each limit is named in the error.
using OpenThymos.Core.Globs;
using Xunit;

namespace OpenThymos.Core.Tests.Globs;

public sealed class GlobBoundsTests
{
    private static void Refused(string pattern, string limit)
    {
        var error = Assert.Throws<InvalidGlobException>(() => Glob.Parse(pattern));
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.Contains("Split it into several simpler patterns", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, $"the message repeats the pattern: {error.Message.Length} characters");
    }

    [Fact] public void APatternLongerThanTheLimitIsRefused() => Refused(new string('a', Glob.MaxPatternLength + 1), $"more than the limit of {Glob.MaxPatternLength}");
    [Fact] public void AMultiMegabytePatternIsRefusedWithAShortMessage() => Refused(string.Concat(Enumerable.Repeat("*a", 6_684_672)), "13369344 characters long");
    [Fact] public void TooManySegmentsAreRefused() => Refused(string.Join('/', Enumerable.Repeat("a", Glob.MaxSegments + 1)), $"more than the limit of {Glob.MaxSegments}");
    [Fact] public void TooManyDoubleStarsAreRefused() => Refused(string.Join('/', Enumerable.Repeat("**", Glob.MaxDoubleStars + 1)), "'**', more than the limit");
    [Fact] public void TooManyWildcardsAreRefused() => Refused(string.Concat(Enumerable.Repeat("*a", Glob.MaxWildcards + 1)), "wildcards");
    [Fact] public void TooManyBraceGroupsAreRefused() => Refused(string.Concat(Enumerable.Repeat("{a,b}", Glob.MaxBraceGroups + 1)), "groups, more than the limit");
    [Fact] public void NestedBracesBeyondTheLimitAreRefused() => Refused(new string('{', 40) + "a" + new string('}', 40), "groups, more than the limit");
    [Fact]
    public void BracesExpandingPastTheLimitAreRefused() =>
        Assert.Contains($"more than {Glob.MaxAlternatives} alternatives", Assert.Throws<InvalidGlobException>(() => Glob.Parse(string.Concat(Enumerable.Repeat("{a,b}", 9)))).Message, StringComparison.Ordinal);

    [Fact]
    public void APatternAtEveryLimitStillCompiles() =>
        Assert.True(Glob.Parse(string.Join('/', Enumerable.Repeat("**", Glob.MaxDoubleStars)) + "/" + string.Concat(Enumerable.Repeat("*a", 8)) + "{b,c}").IsMatch("x/aaaaaaaab"));
}
