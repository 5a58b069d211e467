// Writs: issuing (signed, delegation strictly narrower), revoking with their descendants, admitting agent sessions.
using OpenThymos.Core.Globs;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The runtime's writ operations under its lock: <see cref="Issue"/> signs a writ with the workspace key and ledgers
/// it, <see cref="Revoke"/> revokes one with every writ delegated from it and rejects their pending proposals in the
/// same append, and <see cref="OpenSession"/> admits an agent presenting a token (refusals ledgered through the
/// <see cref="RefusalLedger"/>).
/// </summary>
internal sealed class WritIssuance(FoldedLedger folded, WritGate gate, RefusalLedger refusals, PolicyGate policy, TimeProvider clock)
{
    /// <summary>Issues a writ; a delegated one must be strictly narrower than its parent, which must itself be usable.</summary>
    public (IssuedWrit? Writ, RuntimeError? Error) Issue(WritRequest request, string issuer)
    {
        if (string.IsNullOrWhiteSpace(request.Agent) || request.Include.Count == 0 || request.Lifetime <= TimeSpan.Zero)
        {
            return (null, new RuntimeError(RuntimeErrorCode.IntentInvalid, "A writ needs an agent name, at least one include glob and a positive lifetime."));
        }

        var ledger = folded.Ledger;
        var now = clock.GetUtcNow();
        var writ = new Writ
        {
            Id = Writ.NewId(),
            Agent = request.Agent,
            Session = request.Session,
            Include = request.Include,
            Exclude = request.Exclude ?? [],
            Effects = request.Effects,
            Budget = request.Budget ?? WritBudget.Unlimited,
            IssuedAt = now,
            ExpiresAt = now + request.Lifetime,
            ParentId = request.ParentId,
            Nonce = Writ.NewNonce(),
            Issuer = issuer,
            WorkspaceId = ledger.WorkspaceId,
        };

        if (request.ParentId is not null)
        {
            if (!folded.State.Writs.TryGetValue(request.ParentId, out var parent))
            {
                return (null, new RuntimeError(RuntimeErrorCode.WritUnknown, $"Parent writ '{request.ParentId}' was never issued here."));
            }

            var parentError = gate.CheckUsable(parent);
            if (parentError is not null)
            {
                return (null, parentError);
            }

            var narrower = WritDelegation.CheckNarrower(parent.Writ, writ);
            if (!narrower.IsNarrower)
            {
                return (null, new RuntimeError(RuntimeErrorCode.WritRefused,
                    $"A writ delegated from '{parent.Id}' must be strictly narrower: {string.Join(" ", narrower.Reasons)}"));
            }
        }

        IReadOnlyList<string> globErrors = [.. writ.Include.Concat(writ.Exclude).Select(GlobError).OfType<string>()];
        if (globErrors.Count > 0)
        {
            return (null, new RuntimeError(RuntimeErrorCode.IntentInvalid, string.Join(" ", globErrors)));
        }

        var signed = SignedWrit.Sign(writ, ledger.Key);
        var entry = folded.Append([PendingEntry.Of(EntryKind.WritIssued, issuer, WritState.ToPayload(signed), LedgerJsonContext.Default.WritIssuedPayload)])[0];
        return (new IssuedWrit(writ, WritToken.Format(signed), entry.Seq), null);
    }

    /// <summary>Revokes a writ and every writ delegated from it; their pending proposals are rejected in the same append.</summary>
    public RuntimeError? Revoke(string writId, string actor, string reason)
    {
        var state = folded.State;
        if (!state.Writs.TryGetValue(writId, out var writ))
        {
            return new RuntimeError(RuntimeErrorCode.WritUnknown, $"There is no writ '{writId}'. List writs to see which are active.");
        }

        if (writ.IsRevoked)
        {
            return null;
        }

        var cascade = gate.Descendants(writId).Where(id => !state.Writs[id].IsRevoked).ToList();
        var revokedIds = cascade.Prepend(writId).ToHashSet(StringComparer.Ordinal);
        var entries = new List<PendingEntry>
        {
            PendingEntry.Of(EntryKind.WritRevoked, actor, new WritRevokedPayload(writId, reason, cascade), LedgerJsonContext.Default.WritRevokedPayload),
        };
        foreach (var proposal in state.Proposals.Values.Where(p => p.IsPending && revokedIds.Contains(p.Staged.WritId)))
        {
            var keys = proposal.PendingHunkKeys;
            var message = $"Writ '{proposal.Staged.WritId}' was revoked by {actor}: {reason}";
            entries.Add(PendingEntry.Of(EntryKind.Rejection, "runtime",
                new RejectionPayload(proposal.Id, proposal.Revision, keys, RejectionReason.WritRevoked, message, proposal.Staged.Agent, proposal.Staged.WritId,
                    [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], policy.CurrentHash),
                LedgerJsonContext.Default.RejectionPayload));
        }

        // One atomic append: a revocation never leaves its writ's proposals pending.
        folded.Append(entries);
        return null;
    }

    /// <summary>Admits an agent session presenting a writ token: signature, issuance, revocation and expiry are checked; a refusal is ledgered.</summary>
    public (AgentSession? Session, RuntimeError? Error) OpenSession(string token)
    {
        if (!WritToken.TryParse(token, out var signed, out var parseError))
        {
            return RefuseSession(token, null, new RuntimeError(RuntimeErrorCode.WritUnknown, $"The writ token is not valid: {parseError} Ask the user to grant access again."));
        }

        if (!signed!.Verify(folded.Ledger.Genesis.WorkspaceKey) || !folded.State.Writs.TryGetValue(signed.Writ.Id, out var writ) || writ.Signed.SignatureHex != signed.SignatureHex)
        {
            return RefuseSession(token, null, new RuntimeError(RuntimeErrorCode.WritUnknown,
                $"The writ token (claiming writ '{RefusalLedger.Printable(signed.Writ.Id)}') was not issued by this workspace (its signature or id does not match). Ask the user to grant access again."));
        }

        var usable = gate.CheckUsable(writ);
        return usable is not null ? RefuseSession(token, writ, usable) : (new AgentSession(writ.Id, writ.Writ.Agent, writ.Writ.Session), null);
    }

    /// <summary>Ledgers a refused <c>session/open</c> and returns the refusal.</summary>
    public (AgentSession?, RuntimeError?) RefuseSession(string token, WritState? writ, RuntimeError error)
    {
        refusals.RefuseSession(token, writ, error);
        return (null, error);
    }

    private static string? GlobError(string glob) =>
        Glob.TryParse(glob, out _, out var error) ? null : error;
}
