// Reads the next batch on another thread while the caller works on the current one.
namespace OpenThymos.Core.Replay;

/// <summary>
/// Overlaps reading with checking: verify and replay spend about as long decoding the store as
/// checking what they read, so on two cores the read of batch N+1 runs while batch N is checked.
/// A small ledger (one batch) never touches the thread pool, so callers on a busy pool are not
/// made to wait for a pool thread.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// Enumerates <paramref name="source"/>; after an item for which <paramref name="moreLikely"/> is
    /// true (a full batch), fetches the next on the thread pool while the caller handles the current one.
    /// </summary>
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, Func<T, bool> moreLikely)
        where T : class
    {
        using var enumerator = source.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            yield break;
        }

        var current = enumerator.Current;
        Task<T?>? next = null;
        try
        {
            while (true)
            {
                next = moreLikely(current) ? Task.Run(() => enumerator.MoveNext() ? enumerator.Current : null) : null;
                yield return current;
                T? following;
                if (next is null)
                {
                    following = enumerator.MoveNext() ? enumerator.Current : null;
                }
                else
                {
                    following = next.GetAwaiter().GetResult();
                    next = null;
                }

                if (following is null)
                {
                    yield break;
                }

                current = following;
            }
        }
        finally
        {
            // Never dispose the source while a read is still running on another thread.
            try
            {
                next?.Wait();
            }
            catch (AggregateException)
            {
                // The caller stopped early (or failed); a failure of the read it no longer wants is not its concern.
            }
        }
    }
}
