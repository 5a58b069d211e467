// Stable JSON-RPC error codes, outside the JSON-RPC reserved range (-32768 to -32000).
namespace OpenThymos.Server.Protocol;

/// <summary>
/// Error codes on the wire. Clients branch on these, never on message text. Runtime refusals map to
/// <c>1000 + RuntimeErrorCode</c>; protocol-level failures use 1..99.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A request other than <c>initialize</c> arrived before it.</summary>
    public const int NotInitialized = 1;

    /// <summary>A request arrived after <c>shutdown</c>.</summary>
    public const int ShuttingDown = 2;

    /// <summary>An agent method was called without an open session, or an editor method from an agent connection.</summary>
    public const int SessionRequired = 3;

    /// <summary>A parameter is missing or has the wrong shape; the message names it.</summary>
    public const int InvalidParams = 4;

    /// <summary>A message exceeded the configured size cap.</summary>
    public const int MessageTooLarge = 5;

    /// <summary>The request was cancelled by the client.</summary>
    public const int Cancelled = 6;

    /// <summary>An unexpected server fault; the sidecar stays up and the log has details.</summary>
    public const int InternalError = 7;

    /// <summary>The agent socket refused a connection: the connecting process, or all clients together, hold too many already.</summary>
    public const int TooManyConnections = 8;

    /// <summary>
    /// Sent by a sidecar that could not take its folder's ledger (another sidecar, usually another editor window, holds
    /// it) in answer to <c>initialize</c>; the message names the holder. The sidecar then exits with code 3.
    /// </summary>
    public const int LedgerHeld = 9;

    /// <summary>
    /// Sent by a sidecar that refused its folder's ledger because it is behind the head recorded outside the workspace
    /// (the signed head anchor in the key folder or the head witness in the state folder: the ledger was restored from
    /// an older copy or cut), in answer to <c>initialize</c>; the message names the ledger, both seqs and the
    /// <c>thymos accept-restored</c> command, which <see cref="StartRefusedData.Command"/> carries. Nothing was written;
    /// the sidecar then exits with code 5.
    /// </summary>
    public const int LedgerRolledBack = 10;

    /// <summary>
    /// Sent by a sidecar that refused its folder because it holds a copy of another folder's workspace (same workspace
    /// id, and that folder still holds its ledger), in answer to <c>initialize</c>; the message names both folders and
    /// the ways out, and <see cref="StartRefusedData.Command"/> carries the command that makes this folder a workspace of
    /// its own. Nothing was opened or written; the sidecar then exits with code 5.
    /// </summary>
    public const int WorkspaceCopied = 11;

    /// <summary>Offset added to <c>OpenThymos.Core.Runtime.RuntimeErrorCode</c> values.</summary>
    public const int RuntimeErrorBase = 1000;
}
