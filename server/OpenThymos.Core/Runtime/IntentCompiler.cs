// Turns one file intent into hunks against the file on disk, or a refusal that says why.
using System.Text;
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Text;
using OpenThymos.Core.Writs;

namespace OpenThymos.Core.Runtime;

/// <summary>
/// Compiles file intents. Every path is confined first; modify, delete and rename must name the hash
/// of the version the agent read, and it must still be the version on disk. Text files become
/// line hunks computed with DiffPlex, byte-exact wherever the agent did not change a line; binary
/// files, deletions and renames are single whole-file hunks. Files are read through a
/// <see cref="WorkspaceDirectory"/> handle, never through a link, so what is hashed is what is in the workspace.
/// </summary>
public sealed class IntentCompiler
{
    private readonly WorkspaceDirectory _workspace;

    /// <summary>Creates a compiler that reads files through the given workspace handle.</summary>
    public IntentCompiler(WorkspaceDirectory workspace)
    {
        _workspace = workspace;
    }

    /// <summary>Creates a compiler for a workspace folder, with a handle of its own on the root.</summary>
    public IntentCompiler(string workspaceRoot)
        : this(new WorkspaceDirectory(workspaceRoot))
    {
    }

    /// <summary>
    /// Reads a confined path for an agent: null when absent, else the bytes, or a refusal when the path is (or goes
    /// through) a link, is not a regular file, or has other hard links, at the instant it is opened.
    /// </summary>
    public (byte[]? Bytes, RuntimeError? Error) ReadForAgent(string path)
    {
        try
        {
            return (_workspace.ReadFile(path, refuseHardLinks: true), null);
        }
        catch (IOException exception)
        {
            return (null, new RuntimeError(RuntimeErrorCode.PathRefused, exception.Message));
        }
    }

    /// <summary>Null when nothing is at the path, else the refusal that names what is there (the component at fault, resolved beneath the root).</summary>
    private RuntimeError? MustBeAbsent(string path, string existsMessage) => _workspace.Inspect(path) switch
    {
        (_, _, { } refusal) => new RuntimeError(RuntimeErrorCode.PathRefused, refusal.Message),
        (WorkspaceEntryKind.Missing, _, _) => null,
        _ => new RuntimeError(RuntimeErrorCode.FileStateMismatch, existsMessage),
    };

    /// <summary>
    /// Confines a path by syntax, with no I/O, returning the normalized path or a refusal. What is on disk is
    /// judged by the operation that uses the path (<see cref="ReadForAgent"/>, the create and rename checks, the
    /// applier), which resolves it beneath the root without following links and refuses with the same messages
    /// <see cref="PathConfinement.Check"/> gives; a string check here could not close the race anyway.
    /// </summary>
    public (string? Path, RuntimeError? Error) Confine(string candidate)
    {
        var check = PathConfinement.CheckSyntax(candidate);
        return check.IsAllowed
            ? (check.Path!.Value, null)
            : (null, new RuntimeError(RuntimeErrorCode.PathRefused, check.Reason ?? $"Path '{candidate}' is refused."));
    }

    /// <summary>Compiles one file intent, or explains why it cannot be.</summary>
    public (CompiledFile? File, RuntimeError? Error) Compile(FileIntent intent)
    {
        var (path, pathError) = Confine(intent.Path);
        if (pathError is not null)
        {
            return (null, pathError);
        }

        return intent.Kind switch
        {
            FileIntentKind.Create => CompileCreate(intent, path!),
            FileIntentKind.Modify => CompileModify(intent, path!),
            FileIntentKind.Delete => CompileDelete(intent, path!),
            FileIntentKind.Rename => CompileRename(intent, path!),
            _ => (null, Invalid($"Unknown change kind '{intent.Kind}' for '{path}'.")),
        };
    }

    private (CompiledFile?, RuntimeError?) CompileCreate(FileIntent intent, string path)
    {
        if (intent.BaseHash is not null)
        {
            return (null, Invalid($"A create of '{path}' must not carry a base hash; to change an existing file send a modify."));
        }

        if (MustBeAbsent(path, $"'{path}' already exists, so it cannot be created. Read it and send a modify with the hash you read.") is { } exists)
        {
            return (null, exists);
        }

        var (content, contentError) = ReadNewContent(intent, path);
        if (contentError is not null)
        {
            return (null, contentError);
        }

        var (text, binary) = content!.Value;
        var resultBytes = binary ?? Encoding.UTF8.GetBytes(text!);
        var resultHash = ContentHash.Of(resultBytes).ToString();
        var document = binary is null ? TextDocument.TryDecode(resultBytes) : null;
        IReadOnlyList<HunkRecord> hunks;
        var changed = 0;
        if (document is null)
        {
            hunks = [WholeFileHunk];
        }
        else
        {
            hunks = [.. HunkComputer.Compute([], document.Lines).Select(ToRecord)];
            changed = document.Lines.Count;
        }

        var record = new ProposalFileRecord(path, EffectName(Effects.Create), null, null, resultHash, document is null, EncodingName(document), changed, hunks);
        return (new CompiledFile(record, [new BlobWrite(ContentHash.Parse(resultHash), resultBytes)], [new FileChange(path, Effects.Create, changed, resultBytes.Length)], resultBytes.Length), null);
    }

    private (CompiledFile?, RuntimeError?) CompileModify(FileIntent intent, string path)
    {
        var (baseBytes, baseError) = ReadBase(intent.BaseHash, path, "modify");
        if (baseError is not null)
        {
            return (null, baseError);
        }

        var baseHash = ContentHash.Of(baseBytes!);
        var document = TextDocument.TryDecode(baseBytes!);
        byte[] resultBytes;
        IReadOnlyList<string>? resultLines = null;
        var forms = new[] { intent.Content is not null, intent.ContentBase64 is not null, intent.Edits is not null, intent.UnifiedDiff is not null }.Count(x => x);
        if (forms != 1)
        {
            return (null, Invalid($"A modify of '{path}' must give exactly one of content, contentBase64, edits or unifiedDiff; it gave {forms}."));
        }

        if (intent.ContentBase64 is not null)
        {
            try
            {
                resultBytes = Convert.FromBase64String(intent.ContentBase64);
            }
            catch (FormatException)
            {
                return (null, Invalid($"The contentBase64 for '{path}' is not valid base64."));
            }

            var resultDocument = document is null ? null : TextDocument.TryDecode(resultBytes);
            if (resultDocument is not null && resultDocument.Encoding == document!.Encoding)
            {
                resultLines = resultDocument.Lines;
            }
            else
            {
                document = null;
            }
        }
        else
        {
            if (document is null)
            {
                return (null, Invalid($"'{path}' is a binary file; send its whole new content as contentBase64."));
            }

            string newText;
            if (intent.Content is not null)
            {
                newText = HunkApplier.Join(LineEndingPreserver.Preserve(document, intent.Content));
            }
            else if (intent.Edits is not null)
            {
                var result = SearchReplace.Apply(document, intent.Edits);
                if (!result.Succeeded)
                {
                    return (null, new RuntimeError(RuntimeErrorCode.EditDoesNotApply, $"In '{path}': {result.Failure!.Message}"));
                }

                newText = result.Text!;
            }
            else
            {
                var result = UnifiedDiff.Apply(document, intent.UnifiedDiff!);
                if (!result.Succeeded)
                {
                    return (null, new RuntimeError(RuntimeErrorCode.EditDoesNotApply, $"In '{path}': {result.Failure!.Message}"));
                }

                newText = result.Text!;
            }

            try
            {
                resultBytes = document.Encode(newText);
            }
            catch (TextEncodingException exception)
            {
                return (null, Invalid($"In '{path}': {exception.Message}"));
            }

            resultLines = TextDocument.SplitLines(newText);
        }

        if (resultBytes.AsSpan().SequenceEqual(baseBytes))
        {
            return (null, Invalid($"The modify of '{path}' changes nothing: the result is identical to the file you read."));
        }

        var resultHash = ContentHash.Of(resultBytes);
        IReadOnlyList<HunkRecord> hunks;
        var changed = 0;
        long added;
        if (document is null || resultLines is null)
        {
            hunks = [WholeFileHunk];
            added = resultBytes.Length;
        }
        else
        {
            var computed = HunkComputer.Compute(document.Lines, resultLines);
            hunks = [.. computed.Select(ToRecord)];
            changed = computed.Sum(h => h.RemovedLines.Count + h.AddedLines.Count);
            added = computed.Sum(h => h.AddedLines.Sum(l => (long)Encoding.UTF8.GetByteCount(l)));
        }

        var record = new ProposalFileRecord(path, EffectName(Effects.Modify), null, baseHash.ToString(), resultHash.ToString(), document is null, EncodingName(document), changed, hunks);
        return (new CompiledFile(record, [new BlobWrite(baseHash, baseBytes), new BlobWrite(resultHash, resultBytes)], [new FileChange(path, Effects.Modify, changed, added)], added), null);
    }

    private (CompiledFile?, RuntimeError?) CompileDelete(FileIntent intent, string path)
    {
        var (baseBytes, baseError) = ReadBase(intent.BaseHash, path, "delete");
        if (baseError is not null)
        {
            return (null, baseError);
        }

        var baseHash = ContentHash.Of(baseBytes!);
        var document = TextDocument.TryDecode(baseBytes!);
        var lines = document?.Lines.Count ?? 0;
        var record = new ProposalFileRecord(path, EffectName(Effects.Delete), null, baseHash.ToString(), null, document is null, EncodingName(document), lines, [WholeFileHunk]);
        return (new CompiledFile(record, [new BlobWrite(baseHash, baseBytes)], [new FileChange(path, Effects.Delete, lines, 0)], 0), null);
    }

    private (CompiledFile?, RuntimeError?) CompileRename(FileIntent intent, string path)
    {
        if (intent.FromPath is null)
        {
            return (null, Invalid($"A rename to '{path}' must name fromPath, the file to move."));
        }

        var (fromPath, fromError) = Confine(intent.FromPath);
        if (fromError is not null)
        {
            return (null, fromError);
        }

        if (fromPath == path)
        {
            return (null, Invalid($"A rename of '{path}' must move it to a different path."));
        }

        var (baseBytes, baseError) = ReadBase(intent.BaseHash, fromPath!, "rename");
        if (baseError is not null)
        {
            return (null, baseError);
        }

        if (MustBeAbsent(path, $"Cannot rename '{fromPath}' to '{path}': '{path}' already exists. Choose a new path or delete it first.") is { } exists)
        {
            return (null, exists);
        }

        var baseHash = ContentHash.Of(baseBytes!).ToString();
        var document = TextDocument.TryDecode(baseBytes!);
        var record = new ProposalFileRecord(path, EffectName(Effects.Rename), fromPath, baseHash, baseHash, document is null, EncodingName(document), 0, [WholeFileHunk]);
        return (new CompiledFile(
            record,
            [new BlobWrite(ContentHash.Parse(baseHash), baseBytes)],
            [new FileChange(fromPath!, Effects.Rename, 0, 0), new FileChange(path, Effects.Rename, 0, 0)],
            0), null);
    }

    private (byte[]?, RuntimeError?) ReadBase(string? claimedHash, string path, string verb)
    {
        if (string.IsNullOrEmpty(claimedHash))
        {
            return (null, Invalid($"A {verb} of '{path}' must carry baseHash, the hash of the version you read. Read the file first and send the hash it returned."));
        }

        if (!ContentHash.TryParse(claimedHash, out var claimed))
        {
            return (null, Invalid($"The baseHash '{claimedHash}' for '{path}' is not a content hash (64 hex characters)."));
        }

        var (bytes, readError) = ReadForAgent(path);
        if (readError is not null)
        {
            return (null, readError);
        }

        if (bytes is null)
        {
            return (null, new RuntimeError(RuntimeErrorCode.FileStateMismatch, $"Cannot {verb} '{path}': it does not exist. List the files again; to make a new file send a create."));
        }
        var actual = ContentHash.Of(bytes);
        if (actual != claimed)
        {
            return (null, new RuntimeError(RuntimeErrorCode.StaleBase,
                $"'{path}' changed since you read it: you sent base {claimed.ToShortString()}, the file is now {actual.ToShortString()}. Read it again and redo the edit on the current text."));
        }

        return (bytes, null);
    }

    private static ((string? Text, byte[]? Binary)?, RuntimeError?) ReadNewContent(FileIntent intent, string path)
    {
        if (intent.Edits is not null || intent.UnifiedDiff is not null)
        {
            return (null, Invalid($"A create of '{path}' takes content or contentBase64, not edits or a diff."));
        }

        if ((intent.Content is null) == (intent.ContentBase64 is null))
        {
            return (null, Invalid($"A create of '{path}' must give exactly one of content or contentBase64."));
        }

        if (intent.Content is not null)
        {
            return ((intent.Content, null), null);
        }

        try
        {
            return ((null, Convert.FromBase64String(intent.ContentBase64!)), null);
        }
        catch (FormatException)
        {
            return (null, Invalid($"The contentBase64 for '{path}' is not valid base64."));
        }
    }

    /// <summary>The single hunk of a whole-file change (binary, delete, rename).</summary>
    public static HunkRecord WholeFileHunk { get; } = new("h1", 0, [], []);

    /// <summary>Converts a text hunk to its ledger record.</summary>
    public static HunkRecord ToRecord(Hunk hunk) => new(hunk.Id, hunk.BaseStart, hunk.RemovedLines, hunk.AddedLines);

    /// <summary>Converts a ledger record back to a text hunk.</summary>
    public static Hunk FromRecord(HunkRecord record) => new(record.Id, record.BaseStart, record.Removed, record.Added);

    /// <summary>The ledger name of an effect.</summary>
    public static string EffectName(Effects effect) => effect switch
    {
        Effects.Create => "create",
        Effects.Modify => "modify",
        Effects.Delete => "delete",
        Effects.Rename => "rename",
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect, "A file change has exactly one effect."),
    };

    /// <summary>Parses a ledger effect name.</summary>
    public static Effects ParseEffect(string name) => name switch
    {
        "create" => Effects.Create,
        "modify" => Effects.Modify,
        "delete" => Effects.Delete,
        "rename" => Effects.Rename,
        _ => Effects.None,
    };

    private static string? EncodingName(TextDocument? document) => document?.Encoding switch
    {
        null => null,
        TextEncodingKind.Utf8 => "utf-8",
        TextEncodingKind.Utf8Bom => "utf-8-bom",
        TextEncodingKind.Utf16LeBom => "utf-16le-bom",
        TextEncodingKind.Utf16BeBom => "utf-16be-bom",
        TextEncodingKind.Latin1 => "latin-1",
        _ => "unknown",
    };

    private static RuntimeError Invalid(string message) => new(RuntimeErrorCode.IntentInvalid, message);
}
