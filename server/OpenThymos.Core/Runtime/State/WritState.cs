// A writ as the runtime tracks it: the signed writ, its token, revocation and what it has used.
using System.Text.Json.Nodes;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime.State;

/// <summary>The state of one issued writ, folded from the ledger.</summary>
public sealed class WritState
{
    private WritState(SignedWrit signed, long issuedSeq)
    {
        Signed = signed;
        IssuedSeq = issuedSeq;
        Token = WritToken.Format(signed);
    }

    /// <summary>The writ id.</summary>
    public string Id => Signed.Writ.Id;

    /// <summary>The writ.</summary>
    public Writ Writ => Signed.Writ;

    /// <summary>The writ with its signature.</summary>
    public SignedWrit Signed { get; }

    /// <summary>The token an agent presents for this writ.</summary>
    public string Token { get; }

    /// <summary>The entry that issued it.</summary>
    public long IssuedSeq { get; }

    /// <summary>The entry that revoked it (directly or through a parent), if any.</summary>
    public long? RevokedAtSeq { get; internal set; }

    /// <summary>Why it was revoked.</summary>
    public string? RevocationReason { get; internal set; }

    /// <summary>True once revoked.</summary>
    public bool IsRevoked => RevokedAtSeq is not null;

    /// <summary>Proposals staged under it or under any writ delegated from it (budgets are charged up the chain).</summary>
    public int ProposalsStaged { get; internal set; }

    /// <summary>Distinct paths touched by its proposals and those of the writs delegated from it.</summary>
    public HashSet<string> FilesTouched { get; } = new(StringComparer.Ordinal);

    /// <summary>Bytes added by its proposals and those of the writs delegated from it.</summary>
    public long BytesProposed { get; internal set; }

    /// <summary>The usage so far, for budget checks.</summary>
    public WritUsage Usage => new(ProposalsStaged, FilesTouched, BytesProposed);

    /// <summary>Builds the payload that issues a signed writ.</summary>
    public static WritIssuedPayload ToPayload(SignedWrit signed) =>
        new((JsonObject)JsonNode.Parse(WritCanonicalForm.Encode(signed.Writ))!, signed.SignatureHex);

    /// <summary>Reads a writ-issued payload.</summary>
    public static WritState FromPayload(WritIssuedPayload payload, long seq) =>
        new(new SignedWrit(WritCanonicalForm.Decode(CanonicalJson.Write(payload.Writ)), payload.Signature), seq);
}
