// A proposal's files against the ledger and the disk: their base text, what each expects on disk, and copies to compute from.
using OpenThymos.Core.Apply;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Text;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// What approvals, amendments and rebases share about the files of a proposal: the base document (from the ledger's
/// blob, or the bytes just read when they are that base), the hash each file must have on disk and where it is read
/// (a rename's source), whether it changed there, a file's pending hunks re-expressed against its current content, and
/// copies of a file's state that later decisions under the lock do not change, to compute from outside it.
/// Reads the ledger's blobs and the disk; writes nothing.
/// </summary>
internal sealed class ProposalFiles(WorkspaceLedger ledger, AtomicApplier applier)
{
    /// <summary>The hash the file a proposal would write must have on disk now: its current hash, or its base for a rename (read at its source).</summary>
    public static string? ExpectedOnDisk(ProposalFileState file) => file.Record.Effect == "rename" ? file.Record.BaseHash : file.CurrentHash;

    /// <summary>Where the file is read on disk: a rename's source, else its path.</summary>
    public static string DiskPathOf(ProposalFileState file) => file.Record.Effect == "rename" ? file.Record.FromPath! : file.Record.Path;

    /// <summary>A copy of a file's state that later decisions under the lock do not change.</summary>
    public static ProposalFileState CopyOf(ProposalFileState file)
    {
        var copy = new ProposalFileState(file.Record) { CurrentHash = file.CurrentHash };
        foreach (var (id, status) in file.Hunks)
        {
            copy.Hunks[id] = status;
        }

        foreach (var (id, text) in file.HunkAmendments)
        {
            copy.HunkAmendments[id] = text;
        }

        return copy;
    }

    /// <summary>A hunk of the file as a reviewer left it: with its amended text when it was amended.</summary>
    public static Func<HunkRecord, Hunk> ToAmended(ProposalFileState file, string dominant) => hunk =>
        file.HunkAmendments.TryGetValue(hunk.Id, out var text)
            ? new Hunk(hunk.Id, hunk.BaseStart, hunk.Removed, TextDocument.SplitLines(LineEndings.ToDominant(text, dominant)))
            : IntentCompiler.FromRecord(hunk);

    /// <summary>The file's base as text (null for a created file or one that is not text); the bytes just read from disk are used when they are that base.</summary>
    public TextDocument? BaseDocument(ProposalFileRecord record, (byte[] Bytes, string Hash)? onDisk = null)
    {
        if (record.BaseHash is null)
        {
            return null;
        }

        // The same content hash means the same bytes: the file just read from disk is the base.
        var bytes = onDisk is { } read && read.Hash == record.BaseHash ? read.Bytes : ledger.ReadBlob(ContentHash.Parse(record.BaseHash))
            ?? throw new InvalidDataException($"The ledger lacks the base blob {record.BaseHash[..12]} of '{record.Path}'. Run verify.");
        return TextDocument.TryDecode(bytes);
    }

    /// <summary>True when the file a proposal would write no longer has the content the proposal was computed against.</summary>
    public bool ChangedOnDisk(ProposalState proposal, string path) =>
        !applier.StateOnDisk(DiskPathOf(proposal.Files[path])).Is(ExpectedOnDisk(proposal.Files[path]))
        || (proposal.Files[path].Record.Effect == "rename" && !applier.StateOnDisk(path).IsMissing);

    /// <summary>
    /// Reads each affected file once: the paths whose content is no longer what the proposal expects, and
    /// for the others the bytes just read with their hash, so planning need not read the base blob back
    /// from the ledger when the file on disk is that base.
    /// </summary>
    public (List<string> Changed, Dictionary<string, (byte[] Bytes, string Hash)?> Unchanged) ReadUnchanged(ProposalState proposal, IReadOnlyList<string> affected)
    {
        var changed = new List<string>();
        var unchanged = new Dictionary<string, (byte[] Bytes, string Hash)?>(StringComparer.Ordinal);
        foreach (var path in affected)
        {
            var file = proposal.Files[path];
            byte[]? bytes;
            try
            {
                bytes = applier.ReadOnDisk(DiskPathOf(file));
            }
            catch (WorkspaceFileTooLargeException)
            {
                changed.Add(path); // nothing that large is recorded, so it is not what the proposal expects
                continue;
            }

            var hash = bytes is null ? null : ContentHash.Of(bytes).ToString();
            if (ExpectedOnDisk(file) != hash || (file.Record.Effect == "rename" && !applier.StateOnDisk(path).IsMissing))
            {
                changed.Add(path);
            }
            else
            {
                unchanged[path] = bytes is null ? null : (bytes, hash!);
            }
        }

        return (changed, unchanged);
    }

    /// <summary>A file untouched by an external change, re-expressed against its current content with only its pending hunks.</summary>
    public (ProposalFileRecord Record, IReadOnlyList<BlobWrite> Blobs) Unchanged(ProposalFileState file, IReadOnlyList<HunkRecord> pending)
    {
        if (file.IsWholeFile)
        {
            return (file.Record with { BaseHash = file.Record.Effect == "rename" ? file.Record.BaseHash : file.CurrentHash }, []);
        }

        var baseDocument = BaseDocument(file.Record);
        var dominant = baseDocument?.DominantLineEnding ?? "\n";
        var approved = file.Record.Hunks.Where(h => file.Hunks[h.Id] == HunkStatus.Approved).Select(ToAmended(file, dominant)).ToList();
        var currentLines = HunkApplier.Apply(baseDocument?.Lines ?? [], approved, dominant);
        var shifted = ThreeWayMerge.Shift([.. pending.Select(IntentCompiler.FromRecord)], approved);
        var resultText = HunkApplier.Join(HunkApplier.Apply(currentLines, shifted, dominant), dominant);
        var result = BlobWrite.Of(baseDocument is null ? System.Text.Encoding.UTF8.GetBytes(resultText) : baseDocument.Encode(resultText));
        var record = file.Record with
        {
            BaseHash = file.CurrentHash,
            ResultHash = result.Hash.ToString(),
            Hunks = [.. shifted.Select(IntentCompiler.ToRecord)],
            ChangedLines = shifted.Sum(h => h.RemovedLines.Count + h.AddedLines.Count),
        };
        return (record, [result]);
    }
}
