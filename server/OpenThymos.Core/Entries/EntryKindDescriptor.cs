// One entry kind, described once: its name, its payload type, the fields that reference other things, its world effect and its summary.
using System.Text.Json.Serialization.Metadata;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;

namespace OpenThymos.Core.Entries;

/// <summary>
/// Everything the house knows about one entry kind. Verification, replay, the world fold, the
/// timeline summaries and the wire parity test read it from <see cref="EntryKindRegistry"/> instead of
/// keeping their own switch over kind names.
/// </summary>
public abstract class EntryKindDescriptor
{
    private protected EntryKindDescriptor(string name, JsonTypeInfo payloadTypeInfo, IReadOnlyList<PayloadReference> references, WorldEffect world, string? summaryPaths, Func<EntrySummaryContext, string>? summarize)
    {
        Name = name;
        PayloadTypeInfo = payloadTypeInfo;
        References = references;
        World = world;
        SummaryPaths = summaryPaths;
        Summarize = summarize;
    }

    /// <summary>The kind name as it is hashed and stored (one of <see cref="EntryKind"/>).</summary>
    public string Name { get; }

    /// <summary>The source-generated JSON metadata of the payload record (from <see cref="LedgerJsonContext"/>).</summary>
    public JsonTypeInfo PayloadTypeInfo { get; }

    /// <summary>The payload record type.</summary>
    public Type PayloadType => PayloadTypeInfo.Type;

    /// <summary>The payload fields that name blobs, proposals, writs or earlier entries.</summary>
    public IReadOnlyList<PayloadReference> References { get; }

    /// <summary>True when some payload field names a blob, so verification has blobs to check.</summary>
    public bool ReferencesBlobs => References.Any(r => r.Target == ReferenceTarget.Blob);

    /// <summary>What entries of this kind change in the world replay folds.</summary>
    public WorldEffect World { get; }

    /// <summary>
    /// The payload field whose paths the timeline lists and filters on: <c>list[]</c> for a list of
    /// paths or of records with <c>path</c> (and <c>fromPath</c>), <c>name</c> for one path; null for none.
    /// </summary>
    public string? SummaryPaths { get; }

    /// <summary>The one-line summary of a readable payload; null when the kind name itself is the summary.</summary>
    internal Func<EntrySummaryContext, string>? Summarize { get; }

    /// <summary>Deserializes the payload as this kind's record; throws on a malformed payload as the typed check does.</summary>
    public abstract object Deserialize(LedgerEntry entry);

    /// <summary>The content hashes a deserialized payload names, in payload order (null for an absent file).</summary>
    public abstract IEnumerable<string?> BlobHashes(object payload);

    /// <summary>The file changes of a deserialized payload when <see cref="World"/> is <see cref="WorldEffect.FileChanges"/>; else null.</summary>
    public abstract IReadOnlyList<FileChangeRecord>? FileChanges(object payload);
}

/// <summary>The descriptor of a kind whose payload is <typeparamref name="TPayload"/>.</summary>
/// <typeparam name="TPayload">The payload record.</typeparam>
public sealed class EntryKindDescriptor<TPayload> : EntryKindDescriptor
    where TPayload : class
{
    private readonly JsonTypeInfo<TPayload> _typeInfo;
    private readonly Func<TPayload, IEnumerable<string?>>? _blobs;
    private readonly Func<TPayload, IReadOnlyList<FileChangeRecord>>? _fileChanges;

    internal EntryKindDescriptor(
        string name,
        JsonTypeInfo<TPayload> typeInfo,
        IReadOnlyList<PayloadReference> references,
        Func<TPayload, IEnumerable<string?>>? blobs = null,
        WorldEffect world = WorldEffect.None,
        Func<TPayload, IReadOnlyList<FileChangeRecord>>? fileChanges = null,
        string? summaryPaths = null,
        Func<EntrySummaryContext, string>? summarize = null)
        : base(name, typeInfo, references, world, summaryPaths, summarize)
    {
        _typeInfo = typeInfo;
        _blobs = blobs;
        _fileChanges = fileChanges;
    }

    /// <summary>Deserializes the payload as <typeparamref name="TPayload"/>.</summary>
    public TPayload Read(LedgerEntry entry) => WorkspaceLedger.Deserialize(entry, _typeInfo);

    /// <inheritdoc />
    public override object Deserialize(LedgerEntry entry) => Read(entry);

    /// <inheritdoc />
    public override IEnumerable<string?> BlobHashes(object payload) => _blobs is null ? [] : _blobs((TPayload)payload);

    /// <inheritdoc />
    public override IReadOnlyList<FileChangeRecord>? FileChanges(object payload) => _fileChanges?.Invoke((TPayload)payload);
}
