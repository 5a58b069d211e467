// A clock tests can set, so entry times and hashes are reproducible.
namespace OpenThymos.Core.Tests.Support;

/// <summary>A TimeProvider that returns a settable instant and advances by a fixed step on each read.</summary>
public sealed class FixedClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now += step;
        return now;
    }
}
