// One thing wrong with a ledger, as found by verification.
namespace OpenThymos.Core.Replay;

/// <summary>A problem found by <see cref="LedgerVerifier"/>.</summary>
/// <param name="Seq">The entry concerned, or null for problems of the whole ledger.</param>
/// <param name="Code">A stable code (see <see cref="VerificationProblemCode"/>).</param>
/// <param name="Message">A sentence saying what is wrong and where.</param>
public sealed record VerificationProblem(long? Seq, string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Seq is null ? $"{Code}: {Message}" : $"entry {Seq}: {Code}: {Message}";
}

/// <summary>Stable codes for verification problems.</summary>
public static class VerificationProblemCode
{
    /// <summary>The ledger file could not be opened or read at all.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>An entry could not be decoded from storage.</summary>
    public const string EntryUnreadable = "entry-unreadable";

    /// <summary>Seqs are not contiguous (an entry is missing).</summary>
    public const string SeqGap = "seq-gap";

    /// <summary>An entry is stored under one seq but claims another, or is out of order.</summary>
    public const string SeqMismatch = "seq-mismatch";

    /// <summary>The recomputed hash differs from the stored one: the entry was changed.</summary>
    public const string HashMismatch = "hash-mismatch";

    /// <summary>The entry's parent is not the previous entry's hash.</summary>
    public const string ParentMismatch = "parent-mismatch";

    /// <summary>The first entry is not a valid genesis.</summary>
    public const string GenesisInvalid = "genesis-invalid";

    /// <summary>The kind is unknown to this version.</summary>
    public const string UnknownKind = "unknown-kind";

    /// <summary>The payload is not canonical JSON or does not have the kind's shape.</summary>
    public const string PayloadInvalid = "payload-invalid";

    /// <summary>A writ's signature does not verify with the workspace key.</summary>
    public const string SignatureInvalid = "signature-invalid";

    /// <summary>A referenced blob is missing.</summary>
    public const string BlobMissing = "blob-missing";

    /// <summary>A blob's bytes do not hash to its id.</summary>
    public const string BlobCorrupt = "blob-corrupt";

    /// <summary>The ledger ends before the signed head anchor: newest entries were dropped.</summary>
    public const string Truncated = "truncated";

    /// <summary>The head anchor is unreadable, badly signed, or names a different entry.</summary>
    public const string AnchorMismatch = "anchor-mismatch";

    /// <summary>The ledger lies in a folder other than the one its workspace id is bound to, and that folder still holds it: a copied workspace.</summary>
    public const string CopiedWorkspace = "copied-workspace";
}
