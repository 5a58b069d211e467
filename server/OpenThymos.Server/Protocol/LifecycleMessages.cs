// LSP-style lifecycle messages, so that vscode-languageclient can start, stop and restart the sidecar.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary>The LSP <c>initialize</c> params we read; other LSP fields are accepted and ignored.</summary>
public sealed record InitializeParams
{
    /// <summary>The client's process id, or null.</summary>
    [JsonPropertyName("processId")] public int? ProcessId { get; init; }

    /// <summary>The workspace folder URI (must match the sidecar's folder when given).</summary>
    [JsonPropertyName("rootUri")] public string? RootUri { get; init; }

    /// <summary>The client's name and version.</summary>
    [JsonPropertyName("clientInfo")] public ClientInfo? ClientInfo { get; init; }

    /// <summary>LSP client capabilities; not used.</summary>
    [JsonPropertyName("capabilities")] public JsonElement? Capabilities { get; init; }

    /// <summary>The reviewer's name, recorded as <c>human:NAME</c> on decisions from this client.</summary>
    [JsonPropertyName("initializationOptions")] public InitializationOptions? InitializationOptions { get; init; }
}

/// <summary>Client name and version.</summary>
public sealed record ClientInfo
{
    /// <summary>The client's name.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>The client's version.</summary>
    [JsonPropertyName("version")] public string? Version { get; init; }
}

/// <summary>OpenThymos options sent in <c>initializationOptions</c>.</summary>
public sealed record InitializationOptions
{
    /// <summary>The reviewer's name for decisions made through this connection.</summary>
    [JsonPropertyName("reviewer")] public string? Reviewer { get; init; }
}

/// <summary>The <c>initialize</c> result.</summary>
public sealed record InitializeResult
{
    /// <summary>LSP server capabilities (empty: the sidecar is not a language server).</summary>
    [JsonPropertyName("capabilities")] public ServerCapabilities Capabilities { get; init; } = new();

    /// <summary>The sidecar's name and version.</summary>
    [JsonPropertyName("serverInfo")] public ServerInfo ServerInfo { get; init; } = new();

    /// <summary>The workspace the sidecar governs.</summary>
    [JsonPropertyName("workspace")] public WorkspaceInfo Workspace { get; init; } = new();
}

/// <summary>LSP capabilities; OpenThymos advertises its own protocol version here.</summary>
public sealed record ServerCapabilities
{
    /// <summary>The OpenThymos protocol version.</summary>
    [JsonPropertyName("openThymosProtocol")] public int OpenThymosProtocol { get; init; } = 1;
}

/// <summary>The sidecar's name and version.</summary>
public sealed record ServerInfo
{
    /// <summary>"openthymos-sidecar".</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "openthymos-sidecar";

    /// <summary>The sidecar version.</summary>
    [JsonPropertyName("version")] public string Version { get; init; } = "0.1.0";
}

/// <summary>The governed workspace.</summary>
public sealed record WorkspaceInfo
{
    /// <summary>The workspace folder (full path).</summary>
    [JsonPropertyName("root")] public string Root { get; init; } = "";

    /// <summary>The workspace id from the ledger's genesis.</summary>
    [JsonPropertyName("workspaceId")] public string WorkspaceId { get; init; } = "";

    /// <summary>The ledger file.</summary>
    [JsonPropertyName("ledgerPath")] public string LedgerPath { get; init; } = "";

    /// <summary>The agent socket path.</summary>
    [JsonPropertyName("agentSocket")] public string AgentSocket { get; init; } = "";

    /// <summary>The ledger head seq.</summary>
    [JsonPropertyName("headSeq")] public long HeadSeq { get; init; }
}

/// <summary>
/// The <c>data</c> of the error with which a sidecar that cannot serve its folder answers <c>initialize</c>
/// (<see cref="ErrorCodes.LedgerHeld"/>, <see cref="ErrorCodes.LedgerRolledBack"/>, <see cref="ErrorCodes.WorkspaceCopied"/>);
/// the error's message says what happened and what to do.
/// </summary>
public sealed record StartRefusedData
{
    /// <summary>The workspace folder the sidecar was started on (full path).</summary>
    [JsonPropertyName("folder")] public string Folder { get; init; } = "";

    /// <summary>The shell command the message tells the user to run to resolve the refusal, for the editor to offer to copy; null when there is none.</summary>
    [JsonPropertyName("command")] public string? Command { get; init; }
}

/// <summary>Params of requests and notifications that take none.</summary>
public sealed record EmptyParams;

/// <summary>Result of requests that return nothing.</summary>
public sealed record EmptyResult;
