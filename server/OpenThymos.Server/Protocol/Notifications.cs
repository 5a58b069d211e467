// Server-to-client notifications: the server pushes, nothing polls.
using System.Text.Json.Serialization;

namespace OpenThymos.Server.Protocol;

/// <summary><c>proposal/didChange</c>: a proposal was staged, revised or decided.</summary>
public sealed record ProposalDidChangeParams
{
    /// <summary>The proposal as it is now.</summary>
    [JsonPropertyName("proposal")] public ProposalSummary Proposal { get; init; } = new();
}

/// <summary><c>ledger/didAppend</c>: an entry was appended.</summary>
public sealed record LedgerDidAppendParams
{
    /// <summary>The entry.</summary>
    [JsonPropertyName("entry")] public EntrySummary Entry { get; init; } = new();
}

/// <summary><c>ledger/didProgress</c>: progress of verify or replay.</summary>
public sealed record LedgerDidProgressParams
{
    /// <summary>The client's token from the request.</summary>
    [JsonPropertyName("token")] public string Token { get; init; } = "";

    /// <summary>Entries processed.</summary>
    [JsonPropertyName("done")] public long Done { get; init; }

    /// <summary>Entries in all.</summary>
    [JsonPropertyName("total")] public long Total { get; init; }
}
