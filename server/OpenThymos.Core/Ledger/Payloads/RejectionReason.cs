// Stable reason codes written into rejection entries.
namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>Reason codes of rejection entries (docs/ledger-format.md).</summary>
public static class RejectionReason
{
    /// <summary>A reviewer rejected it.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>The writ was revoked.</summary>
    public const string WritRevoked = "writ-revoked";

    /// <summary>The writ expired before a decision.</summary>
    public const string WritExpired = "writ-expired";

    /// <summary>The file changed under the proposal in lines it touches.</summary>
    public const string StaleBase = "stale-base";

    /// <summary>The policy denies it.</summary>
    public const string PolicyDenied = "policy-denied";

    /// <summary>A path was refused by confinement.</summary>
    public const string PathRefused = "path-refused";

    /// <summary>The writ does not allow it.</summary>
    public const string WritRefused = "writ-refused";

    /// <summary>The intent was malformed or did not apply.</summary>
    public const string IntentInvalid = "intent-invalid";

    /// <summary>A nonce was reused for a different intent.</summary>
    public const string ReplayedNonce = "replayed-nonce";

    /// <summary>A <c>session/open</c> was refused (a forged, unknown, expired or revoked writ token, or none); no proposal exists.</summary>
    public const string SessionRefused = "session-refused";

    /// <summary>The proposal was too large to record (an entry it needs would exceed the per-entry cap); nothing was staged.</summary>
    public const string TooLarge = "too-large";

    /// <summary>The ledger rolled back the transaction that held the submission; it was not staged.</summary>
    public const string LedgerWriteFailed = "ledger-write-failed";
}
