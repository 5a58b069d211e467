// A clock a test moves forward by hand, for expiry tests.
namespace OpenThymos.Core.Tests.Support;

public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
