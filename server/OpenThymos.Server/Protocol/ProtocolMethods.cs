// Every JSON-RPC method and notification name of the OpenThymos protocol, in one place.
namespace OpenThymos.Server.Protocol;

/// <summary>
/// Wire names, <c>area/verbNoun</c> for requests and <c>area/didXxx</c> for server-to-client
/// notifications. extension/src/protocol.ts declares the same names; a test keeps them equal.
/// </summary>
public static class ProtocolMethods
{
    /// <summary>LSP lifecycle: the client's first request.</summary>
    public const string Initialize = "initialize";

    /// <summary>LSP lifecycle: the client is ready for notifications.</summary>
    public const string Initialized = "initialized";

    /// <summary>LSP lifecycle: stop accepting work; the ledger is closed.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>LSP lifecycle: the process exits.</summary>
    public const string Exit = "exit";

    /// <summary>Pending and recent proposals, filterable.</summary>
    public const string ProposalList = "proposal/list";

    /// <summary>One proposal with its hunks and the base and proposed text of each file.</summary>
    public const string ProposalGet = "proposal/get";

    /// <summary>Approve a proposal, some files or some hunks, with amendments.</summary>
    public const string ProposalApprove = "proposal/approve";

    /// <summary>Reject a proposal, some files or some hunks.</summary>
    public const string ProposalReject = "proposal/reject";

    /// <summary>Replace the proposed text of one file with the reviewer's; recorded as a new revision.</summary>
    public const string ProposalAmend = "proposal/amend";

    /// <summary>A page of the ledger timeline, newest first, filterable.</summary>
    public const string LedgerListEntries = "ledger/listEntries";

    /// <summary>One entry in full.</summary>
    public const string LedgerGetEntry = "ledger/getEntry";

    /// <summary>A file's content as of a seq, rebuilt from blobs.</summary>
    public const string LedgerGetFileAtSeq = "ledger/getFileAtSeq";

    /// <summary>A stored file version by its content hash (the before and after states a commit names).</summary>
    public const string LedgerGetBlob = "ledger/getBlob";

    /// <summary>Verify the whole ledger (progress notifications, cancellable).</summary>
    public const string LedgerVerify = "ledger/verify";

    /// <summary>Replay the ledger to a seq and return the world (progress, cancellable).</summary>
    public const string LedgerReplay = "ledger/replay";

    /// <summary>Files whose disk content differs from the ledger's last known state.</summary>
    public const string LedgerGetDrift = "ledger/getDrift";

    /// <summary>Revert a commit with a compensating commit.</summary>
    public const string LedgerRevertCommit = "ledger/revertCommit";

    /// <summary>Grant an agent session a writ.</summary>
    public const string WritIssue = "writ/issue";

    /// <summary>List writs.</summary>
    public const string WritList = "writ/list";

    /// <summary>Revoke a writ and its delegated writs.</summary>
    public const string WritRevoke = "writ/revoke";

    /// <summary>The policy in force.</summary>
    public const string PolicyGet = "policy/get";

    /// <summary>Make the policy file on disk, as the reviewer reviewed it, the policy in force (a ledgered policy.changed by the reviewer).</summary>
    public const string PolicyAdopt = "policy/adopt";

    /// <summary>Agent socket: open a session by presenting a writ token.</summary>
    public const string SessionOpen = "session/open";

    /// <summary>Agent socket: read a file in the writ's scope, with the hash to send back.</summary>
    public const string FileRead = "file/read";

    /// <summary>Agent socket: list files in the writ's scope.</summary>
    public const string FileList = "file/list";

    /// <summary>Agent socket: submit an intent.</summary>
    public const string IntentSubmit = "intent/submit";

    /// <summary>Agent socket: a proposal's status.</summary>
    public const string ProposalGetStatus = "proposal/getStatus";

    /// <summary>Agent socket: wait until a proposal is decided or a timeout passes.</summary>
    public const string ProposalWaitDecision = "proposal/waitDecision";

    /// <summary>Server → client: a proposal was staged, revised or decided.</summary>
    public const string ProposalDidChange = "proposal/didChange";

    /// <summary>Server → client: an entry was appended to the ledger.</summary>
    public const string LedgerDidAppend = "ledger/didAppend";

    /// <summary>Server → client: progress of a long request (verify, replay).</summary>
    public const string LedgerDidProgress = "ledger/didProgress";

    /// <summary>Requests of the editor surface (stdio, and the socket after <c>operator</c> authentication).</summary>
    public static IReadOnlyList<string> EditorRequests { get; } =
    [
        Initialize, Shutdown, ProposalList, ProposalGet, ProposalApprove, ProposalReject, ProposalAmend, LedgerListEntries, LedgerGetEntry,
        LedgerGetFileAtSeq, LedgerGetBlob, LedgerVerify, LedgerReplay, LedgerGetDrift, LedgerRevertCommit, WritIssue, WritList, WritRevoke, PolicyGet, PolicyAdopt,
    ];

    /// <summary>Requests of the agent surface (socket, after <c>session/open</c>).</summary>
    public static IReadOnlyList<string> AgentRequests { get; } =
        [SessionOpen, FileRead, FileList, IntentSubmit, ProposalGetStatus, ProposalWaitDecision];

    /// <summary>Notifications either way.</summary>
    public static IReadOnlyList<string> Notifications { get; } =
        [Initialized, Exit, ProposalDidChange, LedgerDidAppend, LedgerDidProgress];
}
