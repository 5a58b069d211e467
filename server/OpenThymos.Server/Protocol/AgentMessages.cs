// Requests of the agent surface (the local socket): sessions, reading files, submitting intents, waiting.
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary><c>session/open</c> params.</summary>
public sealed record OpenSessionParams
{
    /// <summary>The writ token the user granted (<c>thymos-writ-v1.…</c>), or an operator token for the editor surface.</summary>
    [JsonPropertyName("token")] public string Token { get; init; } = "";
}

/// <summary><c>session/open</c> result.</summary>
public sealed record OpenSessionResult
{
    /// <summary>agent or operator.</summary>
    [JsonPropertyName("role")] public string Role { get; init; } = "";

    /// <summary>For an agent: its writ.</summary>
    [JsonPropertyName("writ")] public WritInfo? Writ { get; init; }
}

/// <summary><c>file/read</c> params.</summary>
public sealed record ReadFileParams
{
    /// <summary>The workspace-relative path.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";
}

/// <summary><c>file/read</c> result.</summary>
public sealed record ReadFileResult
{
    /// <summary>The normalized path.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The content hash to send back as <c>baseHash</c>.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";

    /// <summary>The text, when the file is text.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>The bytes (base64), when it is binary.</summary>
    [JsonPropertyName("base64")] public string? Base64 { get; init; }

    /// <summary>Size in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }
}

/// <summary><c>file/list</c> params.</summary>
public sealed record ListFilesParams
{
    /// <summary>Only files matching this glob (within the writ's scope).</summary>
    [JsonPropertyName("glob")] public string? Glob { get; init; }

    /// <summary>At most this many (default 2000).</summary>
    [JsonPropertyName("limit")] public int? Limit { get; init; }
}

/// <summary><c>file/list</c> result.</summary>
public sealed record ListFilesResult
{
    /// <summary>Paths in the writ's scope, sorted.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>True when the list was cut at the limit.</summary>
    [JsonPropertyName("truncated")] public bool Truncated { get; init; }

    /// <summary>When truncated: how many paths were listed and how to see the rest; otherwise null.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>The sentence for <see cref="Message"/> when a listing of <paramref name="listed"/> paths was cut at its limit.</summary>
    public static string TruncatedMessage(int listed, int maxLimit) =>
        $"Listed the first {listed} paths in the writ's scope (sorted); more match. Narrow the glob, or ask for a higher limit (at most {maxLimit}).";
}

/// <summary><c>intent/submit</c> params.</summary>
public sealed record SubmitIntentParams
{
    /// <summary>Unique per submission; reuse only to retry the same intent.</summary>
    [JsonPropertyName("nonce")] public string Nonce { get; init; } = "";

    /// <summary>What the change is for.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>The file changes.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<FileIntentInfo> Files { get; init; } = [];
}

/// <summary>One file change of an intent.</summary>
public sealed record FileIntentInfo
{
    /// <summary>create, modify, delete or rename.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>The path (new path of a rename).</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>For a rename, the existing path.</summary>
    [JsonPropertyName("fromPath")] public string? FromPath { get; init; }

    /// <summary>The hash from <c>file/read</c> (required except for create).</summary>
    [JsonPropertyName("baseHash")] public string? BaseHash { get; init; }

    /// <summary>Full new text.</summary>
    [JsonPropertyName("content")] public string? Content { get; init; }

    /// <summary>Full new bytes, base64.</summary>
    [JsonPropertyName("contentBase64")] public string? ContentBase64 { get; init; }

    /// <summary>Search/replace blocks.</summary>
    [JsonPropertyName("edits")] public IReadOnlyList<EditInfo>? Edits { get; init; }

    /// <summary>A unified diff.</summary>
    [JsonPropertyName("unifiedDiff")] public string? UnifiedDiff { get; init; }
}

/// <summary>A search/replace block.</summary>
public sealed record EditInfo
{
    /// <summary>Text that must occur exactly once in the file.</summary>
    [JsonPropertyName("search")] public string Search { get; init; } = "";

    /// <summary>Its replacement.</summary>
    [JsonPropertyName("replace")] public string Replace { get; init; } = "";
}

/// <summary><c>intent/submit</c> result. Refusals are JSON-RPC errors with runtime codes.</summary>
public sealed record SubmitIntentResult
{
    /// <summary>staged, duplicate or autoApproved.</summary>
    [JsonPropertyName("outcome")] public string Outcome { get; init; } = "";

    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>Its status now.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>What the agent should tell its user.</summary>
    [JsonPropertyName("message")] public string Message { get; init; } = "";
}

/// <summary><c>proposal/getStatus</c> params.</summary>
public sealed record ProposalStatusParams
{
    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";
}

/// <summary><c>proposal/waitDecision</c> params.</summary>
public sealed record WaitDecisionParams
{
    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>How long to wait (milliseconds, at most 600000).</summary>
    [JsonPropertyName("timeoutMs")] public int TimeoutMs { get; init; }
}

/// <summary>Result of <c>proposal/getStatus</c> and <c>proposal/waitDecision</c>.</summary>
public sealed record ProposalStatusResult
{
    /// <summary>The proposal.</summary>
    [JsonPropertyName("proposalId")] public string ProposalId { get; init; } = "";

    /// <summary>pending, approved, partiallyApproved, rejected, stale or failed.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>The revision.</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }

    /// <summary>True when nothing is pending any more.</summary>
    [JsonPropertyName("decided")] public bool Decided { get; init; }

    /// <summary>Commit entries that applied parts of it.</summary>
    [JsonPropertyName("commitSeqs")] public IReadOnlyList<long> CommitSeqs { get; init; } = [];

    /// <summary>The last rejection or failure reason.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>For waitDecision: true when the timeout passed first.</summary>
    [JsonPropertyName("timedOut")] public bool TimedOut { get; init; }
}
