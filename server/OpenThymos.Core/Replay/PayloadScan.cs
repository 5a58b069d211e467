// A one-pass Utf8JsonReader scan of the busiest payload kinds: shape, blob references and file changes without typed deserialization.
using System.Text.Json;
using System.Text.Unicode;
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Replay;

/// <summary>
/// Verify and fold read every entry; deserializing each payload into its record type cost about
/// 2.6 µs per entry, more than hashing it. This scan walks the JSON once with a
/// <see cref="Utf8JsonReader"/>, checks every field the record type declares against the tokens
/// System.Text.Json accepts for it (string or null; an int that fits; true or false; array or null;
/// object or null; a map of strings), skips unknown fields as the deserializer does, and collects the blob hashes and
/// file changes. It answers only "certainly well-formed": whenever anything is unexpected (a wrong
/// token, a repeated key, a null file list, a hash that does not parse, an escape it would have to
/// decode, a kind it does not know) it returns false and the caller runs the typed check, which
/// then gives the verdict and the message. So the verdict is always the typed check's
/// (<c>PayloadScanEquivalenceTests</c> checks it on the known-answer payloads, the tamper corpus and
/// thousands of mutations).
/// </summary>
internal static class PayloadScan
{
    private enum Token
    {
        String,
        Int32,
        Int64,
        Bool,
        NullableInt32,
        StringList,
        Object,
        ObjectList,
        NullableBool,
        StringMap,
    }

    /// <summary>What a scan of a kind with file records extracts.</summary>
    private enum Files
    {
        /// <summary><c>files[]</c> of <see cref="FileChangeRecord"/> (commit, approval, revert): blobs are before, after.</summary>
        Changes,

        /// <summary><c>files[]</c> of <see cref="ProposalFileRecord"/> (proposal.staged): blobs are baseHash, resultHash, hunksBlob (format 2).</summary>
        Proposal,
    }

    // Slots of the captured strings of one file record.
    private const int PathSlot = 0;
    private const int FirstHashSlot = 1;
    private const int SecondHashSlot = 2;
    private const int ModeSlot = 3;
    private const int HunksBlobSlot = 4;

    private static readonly Shape HunkShape = new(
        new Field("id"u8, Token.String),
        new Field("baseStart"u8, Token.Int32),
        new Field("removed"u8, Token.StringList),
        new Field("added"u8, Token.StringList));

    private static readonly Shape ChangeShape = new(
        new Field("path"u8, Token.String, slot: PathSlot),
        new Field("before"u8, Token.String, slot: FirstHashSlot),
        new Field("after"u8, Token.String, slot: SecondHashSlot),
        new Field("mode"u8, Token.NullableInt32, slot: ModeSlot));

    private static readonly Shape ProposalFileShape = new(
        new Field("path"u8, Token.String),
        new Field("effect"u8, Token.String),
        new Field("fromPath"u8, Token.String),
        new Field("baseHash"u8, Token.String, slot: FirstHashSlot),
        new Field("resultHash"u8, Token.String, slot: SecondHashSlot),
        new Field("binary"u8, Token.Bool),
        new Field("encoding"u8, Token.String),
        new Field("changedLines"u8, Token.Int32),
        new Field("hunks"u8, Token.ObjectList, HunkShape),
        new Field("hunksBlob"u8, Token.String, slot: HunksBlobSlot));

    private static readonly Shape TraceShape = new(
        new Field("path"u8, Token.String),
        new Field("decidedBy"u8, Token.String),
        new Field("outcome"u8, Token.String),
        new Field("notes"u8, Token.StringList));

    private static readonly Shape PolicyShape = new(
        new Field("hash"u8, Token.String),
        new Field("outcome"u8, Token.String),
        new Field("trace"u8, Token.ObjectList, TraceShape));

    private static readonly Shape AmendmentShape = new(
        new Field("path"u8, Token.String),
        new Field("hunkId"u8, Token.String),
        new Field("originalHash"u8, Token.String),
        new Field("text"u8, Token.String));

    private static readonly Shape StagedShape = new(
        new Field("proposalId"u8, Token.String),
        new Field("revision"u8, Token.Int32),
        new Field("revisionReason"u8, Token.String),
        new Field("writId"u8, Token.String),
        new Field("agent"u8, Token.String),
        new Field("session"u8, Token.String),
        new Field("nonce"u8, Token.String),
        new Field("intentDigest"u8, Token.String),
        new Field("description"u8, Token.String),
        new Field("files"u8, Token.ObjectList, ProposalFileShape, isFileList: true),
        new Field("policy"u8, Token.Object, PolicyShape),
        new Field("format"u8, Token.NullableInt32));

    private static readonly Shape ApprovalShape = new(
        new Field("proposalId"u8, Token.String),
        new Field("revision"u8, Token.Int32),
        new Field("approver"u8, Token.String),
        new Field("hunks"u8, Token.StringList),
        new Field("amendments"u8, Token.ObjectList, AmendmentShape),
        new Field("policyHash"u8, Token.String),
        new Field("files"u8, Token.ObjectList, ChangeShape, isFileList: true),
        new Field("note"u8, Token.String),
        new Field("hunkDigests"u8, Token.StringMap),
        new Field("pinned"u8, Token.NullableBool));

    private static readonly Shape CommitShape = new(
        new Field("proposalId"u8, Token.String),
        new Field("revision"u8, Token.Int32),
        new Field("writId"u8, Token.String),
        new Field("agent"u8, Token.String),
        new Field("approver"u8, Token.String),
        new Field("approvalSeq"u8, Token.Int64),
        new Field("policyHash"u8, Token.String),
        new Field("hunks"u8, Token.StringList),
        new Field("files"u8, Token.ObjectList, ChangeShape, isFileList: true),
        new Field("recovered"u8, Token.Bool));

    private static readonly Shape RevertShape = new(
        new Field("reverts"u8, Token.Int64),
        new Field("approvalSeq"u8, Token.Int64),
        new Field("actor"u8, Token.String),
        new Field("reason"u8, Token.String),
        new Field("policyHash"u8, Token.String),
        new Field("files"u8, Token.ObjectList, ChangeShape, isFileList: true));

    /// <summary>
    /// Scans a payload of <paramref name="kind"/>. True only when the typed deserialization of the
    /// kind would succeed and every hash it names parses; then <paramref name="blobs"/> lists them in
    /// the typed check's order and, for commits and reverts, <paramref name="changes"/> holds the file
    /// changes the typed payload's <c>files</c> would hold. False means "ask the typed check".
    /// </summary>
    public static bool TryScan(string kind, ReadOnlySpan<byte> payload, bool wantChanges, out IReadOnlyList<ContentHash> blobs, out IReadOnlyList<FileChangeRecord>? changes)
    {
        blobs = [];
        changes = null;
        var (shape, files) = ShapeOf(kind);
        if (shape is null)
        {
            return false;
        }

        var scan = new ScanState(files, wantChanges && files == Files.Changes);
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !ScanObject(ref reader, shape, scan, null, topLevel: true))
            {
                return false;
            }

            // Anything after the root value makes the deserializer fail.
            if (reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (!scan.SawFileList)
        {
            // A missing files list deserializes to null, which the typed check rejects: let it say so.
            return false;
        }

        blobs = scan.Blobs;
        changes = scan.Changes;
        return true;
    }

    /// <summary>
    /// The fields the scan checks for <paramref name="kind"/>, one <c>path:Token</c> line each (nested fields as
    /// <c>list[].name</c> and <c>object.name</c>); null for a kind it leaves to the typed check. A field the
    /// scan does not declare is skipped as unknown, so <c>EntryKindRegistryTests</c> holds these lines to the
    /// payload records' JSON metadata.
    /// </summary>
    internal static IReadOnlyList<string>? DeclaredFields(string kind)
    {
        if (ShapeOf(kind).Shape is not { } shape)
        {
            return null;
        }

        var lines = new List<string>();
        AddLines(shape, "", lines);
        return lines;

        static void AddLines(Shape shape, string prefix, List<string> lines)
        {
            foreach (var field in shape.Fields)
            {
                var name = prefix + System.Text.Encoding.UTF8.GetString(field.Name);
                lines.Add($"{name}:{field.Token}");
                if (field.Element is { } element)
                {
                    AddLines(element, name + (field.Token == Token.ObjectList ? "[]." : "."), lines);
                }
            }
        }
    }

    private static (Shape? Shape, Files Files) ShapeOf(string kind) => kind switch
    {
        EntryKind.ProposalStaged => (StagedShape, Files.Proposal),
        EntryKind.Approval => (ApprovalShape, Files.Changes),
        EntryKind.Commit => (CommitShape, Files.Changes),
        EntryKind.Revert => (RevertShape, Files.Changes),
        _ => (null, Files.Changes),
    };

    /// <summary>Scans the object whose StartObject the reader is on, up to its EndObject.</summary>
    private static bool ScanObject(ref Utf8JsonReader reader, Shape shape, ScanState scan, Captured? captured, bool topLevel)
    {
        var seen = 0UL;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            var index = shape.IndexOf(ref reader);
            if (index < 0)
            {
                // The deserializer skips members its type does not declare; so does this scan.
                if (!reader.Read())
                {
                    return false;
                }

                reader.Skip();
                continue;
            }

            if ((seen & (1UL << index)) != 0)
            {
                return false;
            }

            seen |= 1UL << index;
            var field = shape.Fields[index];
            if (!reader.Read() || !ScanValue(ref reader, field, scan, captured, topLevel))
            {
                return false;
            }
        }
    }

    private static bool ScanValue(ref Utf8JsonReader reader, Field field, ScanState scan, Captured? captured, bool topLevel)
    {
        switch (field.Token)
        {
            case Token.String:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return true;
                }

                if (reader.TokenType != JsonTokenType.String || !ValidString(ref reader))
                {
                    return false;
                }

                if (captured is not null && field.Slot is >= 0 and not ModeSlot)
                {
                    captured.Strings[field.Slot] = reader.GetString();
                }

                return true;
            case Token.Int32:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _);
            case Token.Int64:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _);
            case Token.Bool:
                return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
            case Token.NullableInt32:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return true;
                }

                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var mode))
                {
                    return false;
                }

                if (captured is not null && field.Slot == ModeSlot)
                {
                    captured.Mode = mode;
                }

                return true;
            case Token.StringList:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return true;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return true;
                    }

                    if (reader.TokenType != JsonTokenType.Null && (reader.TokenType != JsonTokenType.String || !ValidString(ref reader)))
                    {
                        return false;
                    }
                }

                return false;
            case Token.NullableBool:
                return reader.TokenType is JsonTokenType.Null or JsonTokenType.True or JsonTokenType.False;
            case Token.StringMap:
                return reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.StartObject && ScanStringMap(ref reader));
            case Token.Object:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return true;
                }

                return reader.TokenType == JsonTokenType.StartObject && ScanObject(ref reader, field.Element!, scan, null, topLevel: false);
            case Token.ObjectList:
                var isFileList = field.IsFileList && topLevel;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    // A null files list is what the typed check rejects; let it.
                    return !isFileList;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                scan.SawFileList |= isFileList;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return true;
                    }

                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        if (isFileList)
                        {
                            // The typed check dereferences every file record.
                            return false;
                        }

                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    var record = isFileList ? new Captured() : null;
                    if (!ScanObject(ref reader, field.Element!, scan, record, topLevel: false) || (record is not null && !scan.Add(record)))
                    {
                        return false;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Scans a string-to-string map up to its EndObject: distinct keys and string values the deserializer can
    /// read. A repeated key or a null value is left to the typed check.
    /// </summary>
    private static bool ScanStringMap(ref Utf8JsonReader reader)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || !ValidString(ref reader) || !keys.Add(reader.GetString()!))
            {
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !ValidString(ref reader))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>True when the deserializer could read the string value: valid UTF-8, and escapes it can decode.</summary>
    private static bool ValidString(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class Field(ReadOnlySpan<byte> name, Token token, Shape? element = null, bool isFileList = false, int slot = -1)
    {
        public byte[] Name { get; } = name.ToArray();

        public Token Token { get; } = token;

        /// <summary>The shape of the object, or of each element of an object list.</summary>
        public Shape? Element { get; } = element;

        /// <summary>True for the top-level <c>files</c> list, whose records the typed check dereferences and whose hashes are blobs.</summary>
        public bool IsFileList { get; } = isFileList;

        /// <summary>Where a file record keeps this field's value (path, the two hashes, mode), or -1.</summary>
        public int Slot { get; } = slot;
    }

    private sealed class Shape(params Field[] fields)
    {
        public Field[] Fields { get; } = fields;

        /// <summary>The index of the declared field the reader's property name names (case-sensitive, as the deserializer), or -1.</summary>
        public int IndexOf(ref Utf8JsonReader reader)
        {
            for (var index = 0; index < Fields.Length; index++)
            {
                if (reader.ValueTextEquals(Fields[index].Name))
                {
                    return index;
                }
            }

            return -1;
        }
    }

    /// <summary>The strings and mode of one file record, kept until its object ends.</summary>
    private sealed class Captured
    {
        public string?[] Strings { get; } = new string?[5];

        public int? Mode { get; set; }
    }

    private sealed class ScanState(Files files, bool wantChanges)
    {
        private List<FileChangeRecord>? _changes;

        public List<ContentHash> Blobs { get; } = [];

        public IReadOnlyList<FileChangeRecord>? Changes => wantChanges ? (IReadOnlyList<FileChangeRecord>?)_changes ?? [] : null;

        public bool SawFileList { get; set; }

        /// <summary>Adds a finished file record's hashes (and change); false when a hash does not parse.</summary>
        public bool Add(Captured record)
        {
            // The typed check lists, per file, before then after (baseHash then resultHash, then hunksBlob): keep its order.
            foreach (var slot in (ReadOnlySpan<int>)[FirstHashSlot, SecondHashSlot, HunksBlobSlot])
            {
                if (record.Strings[slot] is { } text)
                {
                    if (!ContentHash.TryParse(text, out var hash))
                    {
                        return false;
                    }

                    Blobs.Add(hash);
                }
            }

            if (wantChanges && files == Files.Changes)
            {
                if (record.Strings[PathSlot] is null)
                {
                    // The typed fold fails on a change without a path; let it.
                    return false;
                }

                (_changes ??= []).Add(new FileChangeRecord(record.Strings[PathSlot]!, record.Strings[FirstHashSlot], record.Strings[SecondHashSlot], record.Mode));
            }

            return true;
        }
    }
}
