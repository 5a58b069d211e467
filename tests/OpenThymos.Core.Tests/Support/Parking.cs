// Holds a computation mid-way on its own thread while a test checks what else can run meanwhile.
using Xunit;

namespace OpenThymos.Core.Tests.Support;

/// <summary>Parks a computation (on its own thread) until the test has checked what it needs meanwhile.</summary>
public sealed class Parking : IDisposable
{
    private readonly ManualResetEventSlim _parked = new();
    private readonly ManualResetEventSlim _resume = new();

    public void Park()
    {
        _parked.Set();
        _resume.Wait(TimeSpan.FromSeconds(30));
    }

    public async Task WhileParked(Func<Task> check)
    {
        Assert.True(_parked.Wait(TimeSpan.FromSeconds(30)), "the computation never started");
        try
        {
            await check();
        }
        finally
        {
            _resume.Set();
        }
    }

    public void Dispose()
    {
        _resume.Set();
        _parked.Dispose();
        _resume.Dispose();
    }
}
