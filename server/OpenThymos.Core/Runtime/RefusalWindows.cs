// Folds repeated refusals of one scope and reason into one aggregate ledger entry per window.
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Keeps refused attempts from growing the ledger without bound while every attempt stays accounted for. The first
/// refusal of a key (scope: an agent session, or all token refusals of the sidecar, which have no session; the
/// rejection reason; the runtime error code) is ledgered at once as one compact entry, and opens a window of
/// <see cref="RuntimeOptions.RefusalWindow"/>. Repeats of that key inside the window are only counted; when the window
/// closes (the next refusal or timer tick after its end), the session ends, the ledger is read through the editor
/// surface, or the runtime stops, they are ledgered as one aggregate entry with their count, first and last time and
/// up to <see cref="MaxSamples"/> digests. A kill of the process loses at most the counts of the open windows (the
/// first refusal of each is already ledgered). Not thread-safe: the runtime uses it under its lock.
/// </summary>
internal sealed class RefusalWindows
{
    /// <summary>Digests kept per aggregate entry.</summary>
    public const int MaxSamples = 8;

    private readonly Dictionary<RefusalKey, OpenWindow> _open = [];

    /// <summary>How many windows are open (each holds counted, unledgered repeats or none).</summary>
    public int OpenCount => _open.Count;

    /// <summary>
    /// Counts a refusal at <paramref name="nowMs"/>. True when it opens a window (the caller ledgers it now as a single
    /// entry); false when it was counted in the window already open for its key.
    /// </summary>
    public bool Count(RefusalKey key, long nowMs, long windowMs, string digest, RejectionPayload summary)
    {
        if (_open.TryGetValue(key, out var window) && nowMs < window.EndsMs)
        {
            window.Repeats++;
            window.FirstMs ??= nowMs;
            window.LastMs = nowMs;
            window.Summary = summary;
            if (window.Samples.Count < MaxSamples)
            {
                window.Samples.Add(digest);
            }

            return false;
        }

        // A window that ended is taken out by the caller's flush before this; opening replaces it only if it was empty.
        _open[key] = new OpenWindow(nowMs + windowMs, summary);
        return true;
    }

    /// <summary>
    /// Closes the windows <paramref name="which"/> selects (all ended ones, one session's, or all) and returns the
    /// aggregate entries to ledger for those that counted repeats.
    /// </summary>
    public IReadOnlyList<RejectionPayload> Close(Func<RefusalKey, long, bool> which)
    {
        var closing = _open.Where(pair => which(pair.Key, pair.Value.EndsMs)).ToList();
        var aggregates = new List<RejectionPayload>();
        foreach (var (key, window) in closing)
        {
            _open.Remove(key);
            if (window.Repeats > 0)
            {
                aggregates.Add(window.Summary with
                {
                    Count = window.Repeats,
                    FirstTime = window.FirstMs,
                    LastTime = window.LastMs,
                    Digest = null,
                    Samples = [.. window.Samples],
                    RequestBytes = null,
                });
            }
        }

        return aggregates;
    }

    private sealed class OpenWindow(long endsMs, RejectionPayload summary)
    {
        public long EndsMs { get; } = endsMs;

        public RejectionPayload Summary { get; set; } = summary;

        public long Repeats { get; set; }

        public long? FirstMs { get; set; }

        public long LastMs { get; set; }

        public List<string> Samples { get; } = [];
    }
}

/// <summary>What refusals are aggregated by.</summary>
/// <param name="Scope"><c>session:WRIT/SESSION</c> for an agent session's refusals, <c>tokens</c> for refused <c>session/open</c> attempts.</param>
/// <param name="ReasonCode">The rejection reason code.</param>
/// <param name="Error">The runtime error code.</param>
internal readonly record struct RefusalKey(string Scope, string ReasonCode, RuntimeErrorCode Error);
