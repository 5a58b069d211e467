// A payload field that names something else: a blob, a proposal, a writ or an earlier entry.
namespace OpenThymos.Core.Entries;

/// <summary>What a referencing payload field points at.</summary>
public enum ReferenceTarget
{
    /// <summary>A content hash whose blob the ledger stores (verify checks that it is there and hashes to its name).</summary>
    Blob,

    /// <summary>A proposal id.</summary>
    Proposal,

    /// <summary>A writ id.</summary>
    Writ,

    /// <summary>The seq of an earlier entry (an approval carried out, a commit reverted).</summary>
    Entry,
}

/// <summary>
/// One referencing field of a payload, by its JSON path: <c>name</c> for a top-level field,
/// <c>list[].name</c> for a field of every element of a list, <c>object.name</c> for a field of a
/// nested object.
/// </summary>
/// <param name="Field">The JSON path of the field, with wire names.</param>
/// <param name="Target">What the field names.</param>
public sealed record PayloadReference(string Field, ReferenceTarget Target);
