// Checks a writ when it is used: revocation and expiry, then scope, effect ceiling and budgets up its delegation chain.
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// The writ checks of the runtime, against the writs and usage folded so far: whether a writ can still be used (not
/// revoked, not expired: checked when a session opens, a writ is delegated, an intent is staged and a proposal is
/// approved) and whether it, and every writ it was delegated from, allows the compiled files of an intent (paths,
/// effect ceiling, budgets, window). Used under the runtime's lock, so concurrent submissions never overspend a budget.
/// </summary>
internal sealed class WritGate(FoldedLedger folded, TimeProvider clock)
{
    /// <summary>Why the writ can no longer be used (revoked or expired), or null.</summary>
    public RuntimeError? CheckUsable(WritState writ)
    {
        if (writ.IsRevoked)
        {
            return new RuntimeError(RuntimeErrorCode.WritRevoked, $"Writ '{writ.Id}' for {writ.Writ.Agent} was revoked ({writ.RevocationReason}). Ask the user to grant access again.");
        }

        var now = clock.GetUtcNow();
        if (now >= writ.Writ.ExpiresAt)
        {
            return new RuntimeError(RuntimeErrorCode.WritRefused, $"Writ '{writ.Id}' for {writ.Writ.Agent} expired at {writ.Writ.ExpiresAt:u}. Ask the user to grant access again.");
        }

        return null;
    }

    /// <summary>Why the writ (or a writ it was delegated from) does not allow <paramref name="files"/>, or null.</summary>
    public RuntimeError? CheckAuthority(WritState writ, IReadOnlyList<CompiledFile> files)
    {
        var state = folded.State;
        var ancestors = Ancestors(writ);
        var now = clock.GetUtcNow();

        // Every writ of the chain is charged with this proposal, so each is checked against its own usage, which already
        // includes what the writs delegated from it staged (RuntimeState charges budgets up the chain).
        var chain = state.WritChain(writ.Id);
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

    /// <summary>The ids of every writ delegated from <paramref name="writId"/>, at any depth.</summary>
    public IEnumerable<string> Descendants(string writId)
    {
        foreach (var child in folded.State.Writs.Values.Where(w => w.Writ.ParentId == writId))
        {
            yield return child.Id;
            foreach (var grandchild in Descendants(child.Id))
            {
                yield return grandchild;
            }
        }
    }

    private List<Writ> Ancestors(WritState writ)
    {
        var ancestors = new List<Writ>();
        var parentId = writ.Writ.ParentId;
        while (parentId is not null && folded.State.Writs.TryGetValue(parentId, out var parent) && ancestors.Count < 64)
        {
            ancestors.Add(parent.Writ);
            parentId = parent.Writ.ParentId;
        }

        return ancestors;
    }
}
