// Writ and policy requests of the editor surface.
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary><c>writ/issue</c> params.</summary>
public sealed record IssueWritParams
{
    /// <summary>The agent's name.</summary>
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";

    /// <summary>A session name (default: generated).</summary>
    [JsonPropertyName("session")] public string? Session { get; init; }

    /// <summary>Path globs the agent may touch.</summary>
    [JsonPropertyName("include")] public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Path globs it may not.</summary>
    [JsonPropertyName("exclude")] public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>Any of create, modify, delete, rename.</summary>
    [JsonPropertyName("effects")] public IReadOnlyList<string> Effects { get; init; } = [];

    /// <summary>Most proposals (null = unlimited).</summary>
    [JsonPropertyName("maxProposals")] public int? MaxProposals { get; init; }

    /// <summary>Most distinct files (null = unlimited).</summary>
    [JsonPropertyName("maxFiles")] public int? MaxFiles { get; init; }

    /// <summary>Most bytes added (null = unlimited).</summary>
    [JsonPropertyName("maxBytes")] public long? MaxBytes { get; init; }

    /// <summary>Lifetime in seconds.</summary>
    [JsonPropertyName("lifetimeSeconds")] public long LifetimeSeconds { get; init; }

    /// <summary>The parent writ for delegation.</summary>
    [JsonPropertyName("parentId")] public string? ParentId { get; init; }
}

/// <summary><c>writ/issue</c> result.</summary>
public sealed record IssueWritResult
{
    /// <summary>The writ.</summary>
    [JsonPropertyName("writ")] public WritInfo Writ { get; init; } = new();

    /// <summary>The token to give the agent (it opens a session with it).</summary>
    [JsonPropertyName("token")] public string Token { get; init; } = "";
}

/// <summary>A writ on the wire.</summary>
public sealed record WritInfo
{
    /// <summary>The writ id.</summary>
    [JsonPropertyName("writId")] public string WritId { get; init; } = "";

    /// <summary>The agent.</summary>
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";

    /// <summary>The session.</summary>
    [JsonPropertyName("session")] public string Session { get; init; } = "";

    /// <summary>Include globs.</summary>
    [JsonPropertyName("include")] public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Exclude globs.</summary>
    [JsonPropertyName("exclude")] public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Allowed effects.</summary>
    [JsonPropertyName("effects")] public IReadOnlyList<string> Effects { get; init; } = [];

    /// <summary>Issued (ISO 8601 UTC).</summary>
    [JsonPropertyName("issuedAt")] public string IssuedAt { get; init; } = "";

    /// <summary>Expires (ISO 8601 UTC).</summary>
    [JsonPropertyName("expiresAt")] public string ExpiresAt { get; init; } = "";

    /// <summary>The parent writ.</summary>
    [JsonPropertyName("parentId")] public string? ParentId { get; init; }

    /// <summary>active, expired or revoked.</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";

    /// <summary>Proposals staged so far.</summary>
    [JsonPropertyName("proposalsUsed")] public int ProposalsUsed { get; init; }

    /// <summary>Proposal budget (null = unlimited).</summary>
    [JsonPropertyName("maxProposals")] public int? MaxProposals { get; init; }

    /// <summary>Distinct files touched so far.</summary>
    [JsonPropertyName("filesUsed")] public int FilesUsed { get; init; }

    /// <summary>File budget (null = unlimited).</summary>
    [JsonPropertyName("maxFiles")] public int? MaxFiles { get; init; }

    /// <summary>Bytes added so far.</summary>
    [JsonPropertyName("bytesUsed")] public long BytesUsed { get; init; }

    /// <summary>Byte budget (null = unlimited).</summary>
    [JsonPropertyName("maxBytes")] public long? MaxBytes { get; init; }
}

/// <summary><c>writ/list</c> result.</summary>
public sealed record ListWritsResult
{
    /// <summary>Writs, newest first.</summary>
    [JsonPropertyName("writs")] public IReadOnlyList<WritInfo> Writs { get; init; } = [];
}

/// <summary><c>writ/revoke</c> params.</summary>
public sealed record RevokeWritParams
{
    /// <summary>The writ.</summary>
    [JsonPropertyName("writId")] public string WritId { get; init; } = "";

    /// <summary>Why.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}

/// <summary><c>policy/get</c> and <c>policy/adopt</c> result: the policy in force (the one the ledger recorded last) and how the file on disk compares.</summary>
public sealed record GetPolicyResult
{
    /// <summary>The hash of the policy in force.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";

    /// <summary>file or default.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";

    /// <summary>The policy text in force, as recorded in the ledger.</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";

    /// <summary>The load error of .thymos/policy.json, when it is invalid (the recorded policy stays in force).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The hash of .thymos/policy.json when it differs from the policy in force (changed on disk, not in force until adopted); else null.</summary>
    [JsonPropertyName("diskHash")] public string? DiskHash { get; init; }

    /// <summary>The text of .thymos/policy.json when it differs from the policy in force; else null.</summary>
    [JsonPropertyName("diskText")] public string? DiskText { get; init; }

    /// <summary>A sentence for the reviewer when the file on disk is not what governs (changed, or invalid); else null.</summary>
    [JsonPropertyName("notice")] public string? Notice { get; init; }
}

/// <summary><c>policy/adopt</c> params: make the policy file on disk the policy in force, if it is the text the reviewer saw.</summary>
public sealed record AdoptPolicyParams
{
    /// <summary>The <c>diskHash</c> of the text the reviewer reviewed; refused if the file has changed since.</summary>
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";
}
