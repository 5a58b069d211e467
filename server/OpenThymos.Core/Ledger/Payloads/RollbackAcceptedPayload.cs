// Payload of the entry an operator adds to go on with a ledger restored from an older copy.
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger.Payloads;

/// <summary>
/// An operator acknowledged that the ledger is behind its signed head record (restored from an older copy, or its
/// newest entries removed) and chose to go on from it. It names the head the records vouched for and the head the
/// ledger had, so the rollback stays visible in the ledger for good.
/// </summary>
/// <param name="RecordedSeq">The seq the head anchor or witness recorded (the newest of the two).</param>
/// <param name="RecordedHash">The entry hash they recorded at that seq.</param>
/// <param name="RecordedIn">Where that record was: the anchor or witness file.</param>
/// <param name="HeadSeq">The seq of the ledger's head when the rollback was accepted.</param>
/// <param name="HeadHash">The hash of that head entry.</param>
/// <param name="Reason">What was found, as shown to the operator.</param>
public sealed record RollbackAcceptedPayload(
    [property: JsonPropertyName("recordedSeq")] long RecordedSeq,
    [property: JsonPropertyName("recordedHash")] string RecordedHash,
    [property: JsonPropertyName("recordedIn")] string RecordedIn,
    [property: JsonPropertyName("headSeq")] long HeadSeq,
    [property: JsonPropertyName("headHash")] string HeadHash,
    [property: JsonPropertyName("reason")] string Reason);
