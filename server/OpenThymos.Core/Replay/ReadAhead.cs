// Reads the next batch on another thread while the caller works on the current one.
namespace OpenThymos.Core.Replay;

/// <summary>
/// Overlaps reading with checking: verify and replay spend about as long decoding the store as
/// checking what they read, so on two cores the read of batch N+1 runs while batch N is checked.
/// </summary>
internal static class ReadAhead
{
    /// <summary>Enumerates <paramref name="source"/>, fetching each next item on the thread pool while the caller handles the current one.</summary>
    public static IEnumerable<T> Of<T>(IEnumerable<T> source)
        where T : class
    {
        using var enumerator = source.GetEnumerator();
        var next = Task.Run(() => enumerator.MoveNext() ? enumerator.Current : null);
        try
        {
            while (next.GetAwaiter().GetResult() is { } item)
            {
                next = Task.Run(() => enumerator.MoveNext() ? enumerator.Current : null);
                yield return item;
            }
        }
        finally
        {
            // Never dispose the source while a read is still running on another thread.
            try
            {
                next.Wait();
            }
            catch (AggregateException)
            {
                // The caller stopped early (or failed); a failure of the read it no longer wants is not its concern.
            }
        }
    }
}
