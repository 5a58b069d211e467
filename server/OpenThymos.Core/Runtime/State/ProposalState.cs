// The runtime's view of one proposal, folded from its ledger entries.
using System.Globalization;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime.State;

/// <summary>
/// A proposal's current revision plus the decision on each hunk. Hunks are always expressed against
/// the revision's base; approved hunks are applied in order, so the content expected on disk now is
/// the base with the approved hunks applied (<see cref="ProposalFileState.CurrentHash"/>).
/// </summary>
public sealed class ProposalState
{
    internal ProposalState(ProposalStagedPayload staged, long stagedSeq, DateTimeOffset at)
    {
        Staged = staged;
        StagedSeq = stagedSeq;
        FirstSeq = stagedSeq;
        CreatedAt = at;
        UpdatedAt = at;
        ResetFiles();
    }

    /// <summary>The proposal id.</summary>
    public string Id => Staged.ProposalId;

    /// <summary>The current revision number.</summary>
    public int Revision => Staged.Revision;

    /// <summary>The payload of the current revision.</summary>
    public ProposalStagedPayload Staged { get; private set; }

    /// <summary>The seq of the entry that staged the current revision.</summary>
    public long StagedSeq { get; private set; }

    /// <summary>The seq of the first revision.</summary>
    public long FirstSeq { get; }

    /// <summary>The seq of the last entry about this proposal (staging, decision, commit or failure).</summary>
    public long LastEntrySeq { get; internal set; }

    /// <summary>When the proposal was first staged.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When anything last happened to it.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>True once the proposal was found stale (its pending hunks were rejected as such).</summary>
    public bool IsStale { get; internal set; }

    /// <summary>The last rejection or failure reason, for display.</summary>
    public string? LastReason { get; internal set; }

    /// <summary>Per file (by path), the hunk decisions and the hash expected on disk now.</summary>
    public IReadOnlyDictionary<string, ProposalFileState> Files => _files;

    /// <summary>The overall status derived from the hunk decisions.</summary>
    public ProposalStatus Status
    {
        get
        {
            var all = _files.Values.SelectMany(f => f.Hunks.Values).ToList();
            if (IsStale)
            {
                return ProposalStatus.Stale;
            }

            if (all.Any(s => s == HunkStatus.Pending))
            {
                return ProposalStatus.Pending;
            }

            var approved = all.Count(s => s == HunkStatus.Approved);
            var failed = all.Count(s => s == HunkStatus.Failed);
            if (failed > 0 && approved == 0)
            {
                return ProposalStatus.Failed;
            }

            if (approved == all.Count)
            {
                return ProposalStatus.Approved;
            }

            return approved == 0 ? ProposalStatus.Rejected : ProposalStatus.PartiallyApproved;
        }
    }

    /// <summary>True while some hunk awaits a decision.</summary>
    public bool IsPending => Status == ProposalStatus.Pending;

    /// <summary>The ids of pending hunks, as <c>path#id</c>.</summary>
    public IReadOnlyList<string> PendingHunkKeys =>
        [.. _files.SelectMany(f => f.Value.Hunks.Where(h => h.Value == HunkStatus.Pending).Select(h => HunkKey.Of(f.Key, h.Key)))];

    /// <summary>
    /// Every code point of this revision a reviewer could not see as written (see <see cref="VisibleText"/>): in its hunk
    /// lines, its paths and its description, as distinct <c>U+XXXX</c> names in code point order; empty when none.
    /// Computed once per revision, on first use.
    /// </summary>
    public IReadOnlyList<string> HiddenCharacters => _hiddenCharacters ??= CollectHiddenCharacters();

    private readonly Dictionary<string, ProposalFileState> _files = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _hiddenCharacters;

    internal void Revise(ProposalStagedPayload staged, long stagedSeq, DateTimeOffset at)
    {
        // Decisions made on earlier revisions stay in the ledger; the new revision lists only what is still pending.
        Staged = staged;
        StagedSeq = stagedSeq;
        UpdatedAt = at;
        ResetFiles();
    }

    private IReadOnlyList<string> CollectHiddenCharacters()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        names.UnionWith(VisibleText.Render(Staged.Description, VisibleTextLayout.MultiLine).Replaced);
        foreach (var file in _files.Values)
        {
            names.UnionWith(VisibleText.Render(file.Record.Path, VisibleTextLayout.SingleLine).Replaced);
            names.UnionWith(VisibleText.Render(file.Record.FromPath, VisibleTextLayout.SingleLine).Replaced);
            names.UnionWith(file.HiddenCharacters.Values.SelectMany(h => h));
        }

        return [.. names.OrderBy(n => int.Parse(n.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }

    private void ResetFiles()
    {
        _hiddenCharacters = null;
        _files.Clear();
        foreach (var file in Staged.Files)
        {
            _files[file.Path] = new ProposalFileState(file);
        }
    }
}

/// <summary>One file of a proposal: its record, hunk decisions, amendments and the hash expected on disk.</summary>
public sealed class ProposalFileState
{
    internal ProposalFileState(ProposalFileRecord record)
    {
        Record = record;
        CurrentHash = record.BaseHash;
        foreach (var hunk in record.Hunks)
        {
            Hunks[hunk.Id] = HunkStatus.Pending;
        }
    }

    /// <summary>The file as staged in the current revision.</summary>
    public ProposalFileRecord Record { get; }

    /// <summary>Decision per hunk id.</summary>
    public Dictionary<string, HunkStatus> Hunks { get; } = new(StringComparer.Ordinal);

    /// <summary>Reviewer replacement text per approved hunk id.</summary>
    public Dictionary<string, string> HunkAmendments { get; } = new(StringComparer.Ordinal);

    /// <summary>The hash the file has on disk after the approved hunks so far (the base at first).</summary>
    public string? CurrentHash { get; internal set; }

    /// <summary>True when the file is changed as a whole (binary, delete, rename): one hunk, no line edits.</summary>
    public bool IsWholeFile => Record.Binary || Record.Effect is "delete" or "rename";

    /// <summary>
    /// Per hunk id, the code points in its removed or added lines a reviewer could not see as written
    /// (<see cref="VisibleText.HiddenCharactersInLines"/>); hunks without any are absent. Computed once, on first use.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HiddenCharacters => _hiddenCharacters ??= CollectHiddenCharacters();

    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _hiddenCharacters;

    private Dictionary<string, IReadOnlyList<string>> CollectHiddenCharacters()
    {
        var byHunk = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (Record.Binary)
        {
            return byHunk;
        }

        foreach (var hunk in Record.Hunks)
        {
            var found = VisibleText.HiddenCharactersInLines(hunk.Removed.Concat(hunk.Added));
            if (found.Count > 0)
            {
                byHunk[hunk.Id] = found;
            }
        }

        return byHunk;
    }
}

/// <summary>Builds and splits the <c>path#hunkId</c> keys used in approval and rejection payloads.</summary>
public static class HunkKey
{
    /// <summary>The key of a hunk.</summary>
    public static string Of(string path, string hunkId) => path + "#" + hunkId;

    /// <summary>Splits a key at its last '#'.</summary>
    public static (string Path, string HunkId) Split(string key)
    {
        var at = key.LastIndexOf('#');
        return at < 0 ? (key, "") : (key[..at], key[(at + 1)..]);
    }
}
