// Ledgers attempts refused before anything was staged, as bounded summaries counted through refusal windows.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Every refused submission and every refused <c>session/open</c> leaves a rejection entry, whichever layer refused
/// it: a bounded summary (reason code, a truncated reason, at most <see cref="MaxRecordedPaths"/> paths, sizes and a
/// digest; never the request's content or a token), through the <see cref="RefusalWindows"/>: the first of its key in a
/// window is an entry now, repeats are counted into one aggregate entry when the window closes. Used under the
/// runtime's lock.
/// </summary>
internal sealed class RefusalLedger(FoldedLedger folded, PolicyGate policy, TimeProvider clock, TimeSpan window)
{
    /// <summary>The most paths a refusal entry records (the rest are counted in <c>pathCount</c>).</summary>
    private const int MaxRecordedPaths = 8;

    /// <summary>The most characters a refusal entry records of a path or of the reason.</summary>
    private const int MaxRecordedChars = 512;

    private readonly RefusalWindows _windows = new();

    /// <summary>Ledgers a refused submission of <paramref name="session"/> (its reason derived from the error's code).</summary>
    public void RefuseSubmission(AgentSession session, IReadOnlyList<string> paths, RuntimeError error, string digest, long? requestBytes)
    {
        var code = error.Code switch
        {
            RuntimeErrorCode.PathRefused => RejectionReason.PathRefused,
            RuntimeErrorCode.WritRefused or RuntimeErrorCode.WritUnknown => RejectionReason.WritRefused,
            RuntimeErrorCode.WritRevoked => RejectionReason.WritRevoked,
            RuntimeErrorCode.PolicyDenied => RejectionReason.PolicyDenied,
            RuntimeErrorCode.ReplayedNonce => RejectionReason.ReplayedNonce,
            RuntimeErrorCode.StaleBase => RejectionReason.StaleBase,
            RuntimeErrorCode.ProposalTooLarge => RejectionReason.TooLarge,
            RuntimeErrorCode.LedgerWriteFailed => RejectionReason.LedgerWriteFailed,
            _ => RejectionReason.IntentInvalid,
        };
        Ledger(new RefusalKey(ScopeOf(session), code, error.Code), error.Message, session.Agent, session.WritId, paths, digest, requestBytes);
    }

    /// <summary>Ledgers a refused <c>session/open</c>; the writ and its agent are named only when this workspace issued it.</summary>
    public void RefuseSession(string token, WritState? writ, RuntimeError error)
    {
        // Token refusals have no session: they share one scope, so a loop of garbage tokens over many connections is
        // still one entry per reason and error per window. The token itself is never recorded, only its digest.
        Ledger(new RefusalKey("tokens", RejectionReason.SessionRefused, error.Code), error.Message, writ?.Writ.Agent, writ?.Id, [],
            ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(token)).ToString(), null);
    }

    /// <summary>Ledgers the counts of every open window now.</summary>
    public int CloseAll() => Close((_, _) => true);

    /// <summary>Ledgers the counts of the windows of an agent session that ended.</summary>
    public int CloseSession(AgentSession session)
    {
        var scope = ScopeOf(session);
        return Close((key, _) => key.Scope == scope);
    }

    /// <summary>Ledgers the counts of the windows that ended (on the runtime's timer).</summary>
    public int CloseEnded()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return _windows.OpenCount == 0 ? 0 : Close((_, endsMs) => endsMs <= now);
    }

    /// <summary>Paths from agents may hold anything; keep what is recorded printable and bounded.</summary>
    public static string Printable(string path) => Printable(path, MaxRecordedChars);

    /// <summary>Text from agents may hold anything; keep what is recorded printable and bounded.</summary>
    private static string Printable(string text, int maxChars)
    {
        var cleaned = new string([.. text.Take(maxChars).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c)]);
        return text.Length > maxChars ? cleaned + "…" : cleaned;
    }

    private static string ScopeOf(AgentSession session) => "session:" + session.WritId + "/" + session.Session;

    /// <summary>
    /// Ledgers an attempt refused before anything was staged as a bounded summary, through the refusal windows: the
    /// first of its key in a window is an entry now, repeats are counted into one aggregate entry.
    /// </summary>
    private void Ledger(RefusalKey key, string reason, string? agent, string? writId, IReadOnlyList<string> paths, string digest, long? requestBytes)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Close((_, endsMs) => endsMs <= now);
        var recorded = paths.Take(MaxRecordedPaths).Select(p => Printable(p, MaxRecordedChars)).ToList();
        var summary = new RejectionPayload(null, 0, [], key.ReasonCode, Printable(reason, MaxRecordedChars), agent is null ? null : Printable(agent, MaxRecordedChars),
            writId is null ? null : Printable(writId, MaxRecordedChars), recorded, policy.CurrentHash,
            Digest: digest, RequestBytes: requestBytes, PathCount: paths.Count > recorded.Count ? paths.Count : null);
        if (_windows.Count(key, now, (long)window.TotalMilliseconds, digest, summary))
        {
            folded.Append([PendingEntry.Of(EntryKind.Rejection, "runtime", summary, LedgerJsonContext.Default.RejectionPayload)]);
        }
    }

    /// <summary>Closes the refusal windows <paramref name="which"/> selects and ledgers their aggregates.</summary>
    private int Close(Func<RefusalKey, long, bool> which)
    {
        var aggregates = _windows.Close(which);
        if (aggregates.Count > 0)
        {
            folded.Append([.. aggregates.Select(a => PendingEntry.Of(EntryKind.Rejection, "runtime", a, LedgerJsonContext.Default.RejectionPayload))]);
        }

        return aggregates.Count;
    }
}
