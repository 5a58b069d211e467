// Writs: issuing, revoking, admitting agent sessions, and checking every proposal against its writ.
using OpenThymos.Core.Globs;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

public sealed partial class ThymosRuntime
{
    /// <summary>
    /// Issues a writ signed with the workspace key and ledgers it. A delegated writ must be strictly
    /// narrower than its parent, which must itself be valid.
    /// </summary>
    public (IssuedWrit? Writ, RuntimeError? Error) IssueWrit(WritRequest request, string issuer)
    {
        return Run<(IssuedWrit?, RuntimeError?)>(() =>
        {
            if (string.IsNullOrWhiteSpace(request.Agent) || request.Include.Count == 0 || request.Lifetime <= TimeSpan.Zero)
            {
                return (null, new RuntimeError(RuntimeErrorCode.IntentInvalid, "A writ needs an agent name, at least one include glob and a positive lifetime."));
            }

            var now = _options.Ledger.Clock.GetUtcNow();
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
                WorkspaceId = _ledger.WorkspaceId,
            };

            if (request.ParentId is not null)
            {
                if (!_state.Writs.TryGetValue(request.ParentId, out var parent))
                {
                    return (null, new RuntimeError(RuntimeErrorCode.WritUnknown, $"Parent writ '{request.ParentId}' was never issued here."));
                }

                var parentError = CheckWritUsable(parent);
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

            var signed = SignedWrit.Sign(writ, _ledger.Key);
            var entry = Append([PendingEntry.Of(EntryKind.WritIssued, issuer, WritState.ToPayload(signed), LedgerJsonContext.Default.WritIssuedPayload)])[0];
            return (new IssuedWrit(writ, WritToken.Format(signed), entry.Seq), null);
        });
    }

    /// <summary>Revokes a writ and every writ delegated from it; their pending proposals are rejected.</summary>
    public RuntimeError? RevokeWrit(string writId, string actor, string reason)
    {
        return Run(() =>
        {
            if (!_state.Writs.TryGetValue(writId, out var writ))
            {
                return new RuntimeError(RuntimeErrorCode.WritUnknown, $"There is no writ '{writId}'. List writs to see which are active.");
            }

            if (writ.IsRevoked)
            {
                return null;
            }

            var cascade = Descendants(writId).Where(id => !_state.Writs[id].IsRevoked).ToList();
            var revokedIds = cascade.Prepend(writId).ToHashSet(StringComparer.Ordinal);
            var entries = new List<PendingEntry>
            {
                PendingEntry.Of(EntryKind.WritRevoked, actor, new WritRevokedPayload(writId, reason, cascade), LedgerJsonContext.Default.WritRevokedPayload),
            };
            foreach (var proposal in _state.Proposals.Values.Where(p => p.IsPending && revokedIds.Contains(p.Staged.WritId)))
            {
                var keys = proposal.PendingHunkKeys;
                var message = $"Writ '{proposal.Staged.WritId}' was revoked by {actor}: {reason}";
                entries.Add(PendingEntry.Of(EntryKind.Rejection, "runtime",
                    new RejectionPayload(proposal.Id, proposal.Revision, keys, RejectionReason.WritRevoked, message, proposal.Staged.Agent, proposal.Staged.WritId,
                        [.. keys.Select(k => HunkKey.Split(k).Path).Distinct()], CurrentPolicyHash),
                    LedgerJsonContext.Default.RejectionPayload));
            }

            // One atomic append: a revocation never leaves its writ's proposals pending.
            Append(entries);
            return null;
        });
    }

    /// <summary>
    /// Admits an agent session presenting a writ token: signature, issuance and revocation are checked. A refused
    /// token is ledgered as a rejection (no proposal, reason <c>session-refused</c>), so forged,
    /// expired and revoked writs leave the same record as any other refused attempt; repeats within a window are
    /// counted into one aggregate entry (<see cref="RefusalWindows"/>), so a retry loop cannot grow the ledger without bound.
    /// </summary>
    public (AgentSession? Session, RuntimeError? Error) OpenSession(string token)
    {
        return Run<(AgentSession?, RuntimeError?)>(() =>
        {
            if (!WritToken.TryParse(token, out var signed, out var parseError))
            {
                return RefuseSession(token, null, new RuntimeError(RuntimeErrorCode.WritUnknown, $"The writ token is not valid: {parseError} Ask the user to grant access again."));
            }

            if (!signed!.Verify(_ledger.Genesis.WorkspaceKey) || !_state.Writs.TryGetValue(signed.Writ.Id, out var writ) || writ.Signed.SignatureHex != signed.SignatureHex)
            {
                return RefuseSession(token, null, new RuntimeError(RuntimeErrorCode.WritUnknown,
                    $"The writ token (claiming writ '{Printable(signed.Writ.Id)}') was not issued by this workspace (its signature or id does not match). Ask the user to grant access again."));
            }

            var usable = CheckWritUsable(writ);
            return usable is not null ? RefuseSession(token, writ, usable) : (new AgentSession(writ.Id, writ.Writ.Agent, writ.Writ.Session), null);
        });
    }

    /// <summary>
    /// Ledgers a <c>session/open</c> refused before the runtime saw a token (none was sent), like
    /// <see cref="OpenSession"/> ledgers the tokens it refuses.
    /// </summary>
    public void RecordRefusedSession(RuntimeError error) => Run(() => RefuseSession("", null, error));

    /// <summary>Ledgers a refused <c>session/open</c>; the writ and its agent are named only when this workspace issued it.</summary>
    private (AgentSession?, RuntimeError?) RefuseSession(string token, WritState? writ, RuntimeError error)
    {
        // Token refusals have no session: they share one scope, so a loop of garbage tokens over many connections is
        // still one entry per reason and error per window. The token itself is never recorded, only its digest.
        LedgerRefusal(new RefusalKey("tokens", RejectionReason.SessionRefused, error.Code), error.Message, writ?.Writ.Agent, writ?.Id, [],
            ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(token)).ToString(), null);
        return (null, error);
    }

    /// <summary>Every writ, newest first.</summary>
    public IReadOnlyList<WritState> ListWrits()
    {
        return Run<IReadOnlyList<WritState>>(() => [.. _state.Writs.Values.OrderByDescending(w => w.IssuedSeq)]);
    }

    private RuntimeError? CheckWritUsable(WritState writ)
    {
        if (writ.IsRevoked)
        {
            return new RuntimeError(RuntimeErrorCode.WritRevoked, $"Writ '{writ.Id}' for {writ.Writ.Agent} was revoked ({writ.RevocationReason}). Ask the user to grant access again.");
        }

        var now = _options.Ledger.Clock.GetUtcNow();
        if (now >= writ.Writ.ExpiresAt)
        {
            return new RuntimeError(RuntimeErrorCode.WritRefused, $"Writ '{writ.Id}' for {writ.Writ.Agent} expired at {writ.Writ.ExpiresAt:u}. Ask the user to grant access again.");
        }

        return null;
    }

    private RuntimeError? CheckWritAuthority(WritState writ, IReadOnlyList<CompiledFile> files)
    {
        var ancestors = Ancestors(writ);
        var now = _options.Ledger.Clock.GetUtcNow();

        // Every writ of the chain is charged with this proposal, so each is checked against its own usage, which already
        // includes what the writs delegated from it staged (RuntimeState charges budgets up the chain).
        var chain = _state.WritChain(writ.Id);
        var touched = chain.ToDictionary(w => w.Id, w => new HashSet<string>(w.FilesTouched, StringComparer.Ordinal), StringComparer.Ordinal);
        var bytes = chain.ToDictionary(w => w.Id, w => w.BytesProposed, StringComparer.Ordinal);
        var proposals = chain.ToDictionary(w => w.Id, w => w.ProposalsStaged, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var paths = file.Record.FromPath is null ? new[] { file.Record.Path } : [file.Record.FromPath, file.Record.Path];
            foreach (var each in chain)
            {
                touched[each.Id].UnionWith(paths);
                bytes[each.Id] += file.AddedBytes;
            }

            WritUsage? UsageOf(Writ each) => touched.TryGetValue(each.Id, out var files)
                ? new WritUsage(proposals[each.Id], files, bytes[each.Id] - file.AddedBytes)
                : null;
            foreach (var path in paths)
            {
                var check = WritAuthority.Check(writ.Writ, ancestors, UsageOf, path, IntentCompiler.ParseEffect(file.Record.Effect), file.AddedBytes, now);
                if (!check.IsAllowed)
                {
                    return new RuntimeError(RuntimeErrorCode.WritRefused, check.Reason ?? $"Writ '{writ.Id}' does not allow changing '{path}'.");
                }
            }
        }

        return null;
    }

    private List<Writ> Ancestors(WritState writ)
    {
        var ancestors = new List<Writ>();
        var parentId = writ.Writ.ParentId;
        while (parentId is not null && _state.Writs.TryGetValue(parentId, out var parent) && ancestors.Count < 64)
        {
            ancestors.Add(parent.Writ);
            parentId = parent.Writ.ParentId;
        }

        return ancestors;
    }

    private IEnumerable<string> Descendants(string writId)
    {
        foreach (var child in _state.Writs.Values.Where(w => w.Writ.ParentId == writId))
        {
            yield return child.Id;
            foreach (var grandchild in Descendants(child.Id))
            {
                yield return grandchild;
            }
        }
    }

    private static string? GlobError(string glob) =>
        Glob.TryParse(glob, out _, out var error) ? null : error;
}
