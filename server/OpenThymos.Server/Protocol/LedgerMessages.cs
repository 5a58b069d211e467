// Ledger requests of the editor surface: timeline, entries, files at a seq, verify, replay, drift, revert.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary><c>ledger/listEntries</c> params: a page of the timeline, newest first.</summary>
public sealed record ListEntriesParams
{
    /// <summary>Return entries with seq strictly below this (null = from the head).</summary>
    [JsonPropertyName("beforeSeq")] public long? BeforeSeq { get; init; }

    /// <summary>Page size (default 100, at most 1000).</summary>
    [JsonPropertyName("limit")] public int? Limit { get; init; }

    /// <summary>Only entries whose actor names this agent (<c>agent:NAME</c>) or whose payload names it.</summary>
    [JsonPropertyName("agent")] public string? Agent { get; init; }

    /// <summary>Only entries whose payload names this path.</summary>
    [JsonPropertyName("path")] public string? Path { get; init; }

    /// <summary>Only these kinds.</summary>
    [JsonPropertyName("kinds")] public IReadOnlyList<string>? Kinds { get; init; }
}

/// <summary><c>ledger/listEntries</c> result.</summary>
public sealed record ListEntriesResult
{
    /// <summary>Entries, newest first.</summary>
    [JsonPropertyName("entries")] public IReadOnlyList<EntrySummary> Entries { get; init; } = [];

    /// <summary>Pass as <c>beforeSeq</c> for the next page; null when there is none.</summary>
    [JsonPropertyName("nextBeforeSeq")] public long? NextBeforeSeq { get; init; }

    /// <summary>The head seq when the page was read.</summary>
    [JsonPropertyName("headSeq")] public long HeadSeq { get; init; }
}

/// <summary>A ledger entry in the timeline.</summary>
public sealed record EntrySummary
{
    /// <summary>The seq.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>Who caused it.</summary>
    [JsonPropertyName("actor")] public string Actor { get; init; } = "";

    /// <summary>When (ISO 8601 UTC).</summary>
    [JsonPropertyName("time")] public string Time { get; init; } = "";

    /// <summary>The entry hash.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";

    /// <summary>A one-line description for display.</summary>
    [JsonPropertyName("summary")] public string Summary { get; init; } = "";

    /// <summary>The proposal concerned, if any.</summary>
    [JsonPropertyName("proposalId")] public string? ProposalId { get; init; }

    /// <summary>Paths the entry names.</summary>
    [JsonPropertyName("paths")] public IReadOnlyList<string> Paths { get; init; } = [];
}

/// <summary><c>ledger/getEntry</c> params.</summary>
public sealed record GetEntryParams
{
    /// <summary>The seq.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }
}

/// <summary><c>ledger/getEntry</c> result.</summary>
public sealed record GetEntryResult
{
    /// <summary>The summary.</summary>
    [JsonPropertyName("entry")] public EntrySummary Entry { get; init; } = new();

    /// <summary>The parent hash.</summary>
    [JsonPropertyName("parent")] public string Parent { get; init; } = "";

    /// <summary>The payload as JSON.</summary>
    [JsonPropertyName("payload")] public JsonElement Payload { get; init; }
}

/// <summary><c>ledger/getFileAtSeq</c> params.</summary>
public sealed record GetFileAtSeqParams
{
    /// <summary>The workspace-relative path.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The seq (inclusive); null = the head.</summary>
    [JsonPropertyName("seq")] public long? Seq { get; init; }
}

/// <summary><c>ledger/getFileAtSeq</c> result.</summary>
public sealed record GetFileAtSeqResult
{
    /// <summary>False when the ledger's commits left the file absent (or never touched it) at that seq.</summary>
    [JsonPropertyName("exists")] public bool Exists { get; init; }

    /// <summary>The content hash.</summary>
    [JsonPropertyName("hash")] public string? Hash { get; init; }

    /// <summary>The text, when it decodes as text.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>The bytes, base64, when it does not.</summary>
    [JsonPropertyName("base64")] public string? Base64 { get; init; }
}

/// <summary><c>ledger/getBlob</c> params.</summary>
public sealed record GetBlobParams
{
    /// <summary>The content hash (64 lowercase hex characters), as commit and revert payloads name it in <c>files[].before</c> and <c>files[].after</c>.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";
}

/// <summary><c>ledger/getBlob</c> result.</summary>
public sealed record GetBlobResult
{
    /// <summary>False when the ledger stores no blob with that hash.</summary>
    [JsonPropertyName("exists")] public bool Exists { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    /// <summary>The text, when it decodes as text.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>The bytes, base64, when it does not.</summary>
    [JsonPropertyName("base64")] public string? Base64 { get; init; }
}

/// <summary>Params of <c>ledger/verify</c>, <c>ledger/replay</c> and <c>ledger/getDrift</c>.</summary>
public sealed record LedgerWorkParams
{
    /// <summary>A client token echoed in <c>ledger/didProgress</c>; null = no progress notifications.</summary>
    [JsonPropertyName("progressToken")] public string? ProgressToken { get; init; }

    /// <summary>For replay: fold up to this seq (null = the head).</summary>
    [JsonPropertyName("toSeq")] public long? ToSeq { get; init; }
}

/// <summary><c>ledger/verify</c> result.</summary>
public sealed record VerifyResultInfo
{
    /// <summary>True when no problem was found.</summary>
    [JsonPropertyName("valid")] public bool Valid { get; init; }

    /// <summary>Entries checked.</summary>
    [JsonPropertyName("entriesChecked")] public long EntriesChecked { get; init; }

    /// <summary>Blobs re-hashed.</summary>
    [JsonPropertyName("blobsChecked")] public long BlobsChecked { get; init; }

    /// <summary>True when the signed head anchor was compared.</summary>
    [JsonPropertyName("anchorChecked")] public bool AnchorChecked { get; init; }

    /// <summary>Every problem.</summary>
    [JsonPropertyName("problems")] public IReadOnlyList<ProblemInfo> Problems { get; init; } = [];
}

/// <summary>A verification problem.</summary>
public sealed record ProblemInfo
{
    /// <summary>The entry, or null for the whole ledger.</summary>
    [JsonPropertyName("seq")] public long? Seq { get; init; }

    /// <summary>A stable code (docs/ledger-format.md).</summary>
    [JsonPropertyName("code")] public string Code { get; init; } = "";

    /// <summary>What is wrong.</summary>
    [JsonPropertyName("message")] public string Message { get; init; } = "";
}

/// <summary><c>ledger/replay</c> result: the world at a seq.</summary>
public sealed record ReplayResultInfo
{
    /// <summary>The last entry folded.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>Files and their hashes (null = deleted).</summary>
    [JsonPropertyName("files")] public IReadOnlyList<WorldFileInfo> Files { get; init; } = [];
}

/// <summary>A file of the world.</summary>
public sealed record WorldFileInfo
{
    /// <summary>The path.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>Its hash, or null when deleted.</summary>
    [JsonPropertyName("hash")] public string? Hash { get; init; }
}

/// <summary><c>ledger/getDrift</c> result.</summary>
public sealed record DriftResultInfo
{
    /// <summary>The head used.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>Drifted files.</summary>
    [JsonPropertyName("items")] public IReadOnlyList<DriftItemInfo> Items { get; init; } = [];
}

/// <summary>A drifted file.</summary>
public sealed record DriftItemInfo
{
    /// <summary>The path.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>
    /// changedOutsideLedger, missing, unexpected, notARegularFile (a symbolic link, folder or special file where the ledger has a
    /// file; never read through), or pendingRedo (a commit after the applied-through mark is durable but its file is still at the
    /// state it started from: the process stopped before the rename; recovery writes it at the next open).
    /// </summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>The ledger's last known hash.</summary>
    [JsonPropertyName("expected")] public string? Expected { get; init; }

    /// <summary>The hash on disk.</summary>
    [JsonPropertyName("actual")] public string? Actual { get; init; }

    /// <summary>The entry that set the expected state.</summary>
    [JsonPropertyName("lastEntrySeq")] public long LastEntrySeq { get; init; }
}

/// <summary><c>ledger/revertCommit</c> params.</summary>
public sealed record RevertCommitParams
{
    /// <summary>The commit (or revert) seq.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>Why.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}
