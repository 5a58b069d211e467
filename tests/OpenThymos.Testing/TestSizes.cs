// How big a long test runs: CI's size by default, a larger (or, by hand, a smaller) one from its environment variable.
using System.Globalization;

namespace OpenThymos.Testing;

/// <summary>Reads a long test's size (kills, mutations, proposals) from its <c>THYMOS_*</c> environment variable.</summary>
public static class TestSizes
{
    /// <summary>The positive whole number <paramref name="environmentVariable"/> holds, else <paramref name="defaultSize"/>.</summary>
    public static int From(string environmentVariable, int defaultSize) =>
        int.TryParse(Environment.GetEnvironmentVariable(environmentVariable), CultureInfo.InvariantCulture, out var size) && size > 0 ? size : defaultSize;
}
