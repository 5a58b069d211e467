// The OpenThymos JSON-RPC contract, TypeScript side. The C# side lives in
// server/OpenThymos.Server/Protocol/; docs/protocol.md describes both, and
// ProtocolParityTests (tests/OpenThymos.Server.Tests) fails when the two differ.
// Method names are `area/verbNoun`; server-to-client notifications are `area/didXxx`.
import {
  NotificationType,
  NotificationType0,
  RequestType,
  RequestType0,
} from 'vscode-jsonrpc';

/** Every wire method and notification name. */
export const ProtocolMethods = {
  Initialize: 'initialize',
  Initialized: 'initialized',
  Shutdown: 'shutdown',
  Exit: 'exit',
  ProposalList: 'proposal/list',
  ProposalGet: 'proposal/get',
  ProposalApprove: 'proposal/approve',
  ProposalReject: 'proposal/reject',
  ProposalAmend: 'proposal/amend',
  LedgerListEntries: 'ledger/listEntries',
  LedgerGetEntry: 'ledger/getEntry',
  LedgerGetFileAtSeq: 'ledger/getFileAtSeq',
  LedgerGetBlob: 'ledger/getBlob',
  LedgerVerify: 'ledger/verify',
  LedgerReplay: 'ledger/replay',
  LedgerGetDrift: 'ledger/getDrift',
  LedgerRevertCommit: 'ledger/revertCommit',
  WritIssue: 'writ/issue',
  WritList: 'writ/list',
  WritRevoke: 'writ/revoke',
  PolicyGet: 'policy/get',
  PolicyAdopt: 'policy/adopt',
  SessionOpen: 'session/open',
  FileRead: 'file/read',
  FileList: 'file/list',
  IntentSubmit: 'intent/submit',
  ProposalGetStatus: 'proposal/getStatus',
  ProposalWaitDecision: 'proposal/waitDecision',
  ProposalDidChange: 'proposal/didChange',
  LedgerDidAppend: 'ledger/didAppend',
  LedgerDidProgress: 'ledger/didProgress',
} as const;

/** Stable error codes (outside the JSON-RPC reserved range); runtime refusals are `RuntimeErrorBase + code`. */
export const ErrorCodes = {
  NotInitialized: 1,
  ShuttingDown: 2,
  SessionRequired: 3,
  InvalidParams: 4,
  MessageTooLarge: 5,
  Cancelled: 6,
  InternalError: 7,
  TooManyConnections: 8,
  LedgerHeld: 9,
  LedgerRolledBack: 10,
  WorkspaceCopied: 11,
  RuntimeErrorBase: 1000,
} as const;

/** Runtime refusal codes (add `ErrorCodes.RuntimeErrorBase` for the wire code). */
export const RuntimeErrorCodes = {
  IntentInvalid: 100,
  PathRefused: 101,
  StaleBase: 102,
  EditDoesNotApply: 103,
  FileStateMismatch: 104,
  ProposalTooLarge: 105,
  WritRefused: 110,
  WritRevoked: 111,
  WritUnknown: 112,
  ReplayedNonce: 113,
  PolicyDenied: 120,
  PolicyInvalid: 121,
  PolicyNotAsReviewed: 122,
  ProposalNotFound: 130,
  RevisionMismatch: 131,
  ProposalNotPending: 132,
  SelectionInvalid: 133,
  ReviewOutdated: 134,
  ExecutionFailed: 140,
  RevertConflict: 150,
  CommitNotFound: 151,
  LedgerWriteFailed: 160,
} as const;

/** `session/open` params. */
export interface OpenSessionParams {
  /** The writ token the user granted (`thymos-writ-v1.…`), or an operator token for the editor surface. */
  token: string;
}

/** `session/open` result. */
export interface OpenSessionResult {
  /** agent or operator. */
  role: string;
  /** For an agent: its writ. */
  writ?: WritInfo | null;
}

/** `file/read` params. */
export interface ReadFileParams {
  /** The workspace-relative path. */
  path: string;
}

/** `file/read` result. */
export interface ReadFileResult {
  /** The normalized path. */
  path: string;
  /** The content hash to send back as `baseHash`. */
  hash: string;
  /** The text, when the file is text. */
  text?: string | null;
  /** The bytes (base64), when it is binary. */
  base64?: string | null;
  /** Size in bytes. */
  size: number;
}

/** `file/list` params. */
export interface ListFilesParams {
  /** Only files matching this glob (within the writ's scope). */
  glob?: string | null;
  /** At most this many (default 2000). */
  limit?: number | null;
}

/** `file/list` result. */
export interface ListFilesResult {
  /** Paths in the writ's scope, sorted. */
  files: string[];
  /** True when the list was cut at the limit. */
  truncated: boolean;
  /** When truncated: how many paths were listed and how to see the rest; otherwise null. */
  message?: string | null;
}

/** `intent/submit` params. */
export interface SubmitIntentParams {
  /** Unique per submission; reuse only to retry the same intent. */
  nonce: string;
  /** What the change is for. */
  description?: string | null;
  /** The file changes. */
  files: FileIntentInfo[];
}

/** One file change of an intent. */
export interface FileIntentInfo {
  /** create, modify, delete or rename. */
  kind: string;
  /** The path (new path of a rename). */
  path: string;
  /** For a rename, the existing path. */
  fromPath?: string | null;
  /** The hash from `file/read` (required except for create). */
  baseHash?: string | null;
  /** Full new text. */
  content?: string | null;
  /** Full new bytes, base64. */
  contentBase64?: string | null;
  /** Search/replace blocks. */
  edits?: EditInfo[] | null;
  /** A unified diff. */
  unifiedDiff?: string | null;
}

/** A search/replace block. */
export interface EditInfo {
  /** Text that must occur exactly once in the file. */
  search: string;
  /** Its replacement. */
  replace: string;
}

/** `intent/submit` result. Refusals are JSON-RPC errors with runtime codes. */
export interface SubmitIntentResult {
  /** staged, duplicate or autoApproved. */
  outcome: string;
  /** The proposal. */
  proposalId: string;
  /** Its status now. */
  status: string;
  /** What the agent should tell its user. */
  message: string;
}

/** `proposal/getStatus` params. */
export interface ProposalStatusParams {
  /** The proposal. */
  proposalId: string;
}

/** `proposal/waitDecision` params. */
export interface WaitDecisionParams {
  /** The proposal. */
  proposalId: string;
  /** How long to wait (milliseconds, at most 600000). */
  timeoutMs: number;
}

/** Result of `proposal/getStatus` and `proposal/waitDecision`. */
export interface ProposalStatusResult {
  /** The proposal. */
  proposalId: string;
  /** pending, approved, partiallyApproved, rejected, stale or failed. */
  status: string;
  /** The revision. */
  revision: number;
  /** True when nothing is pending any more. */
  decided: boolean;
  /** Commit entries that applied parts of it. */
  commitSeqs: number[];
  /** The last rejection or failure reason. */
  reason?: string | null;
  /** For waitDecision: true when the timeout passed first. */
  timedOut: boolean;
}

/** `ledger/listEntries` params: a page of the timeline, newest first. */
export interface ListEntriesParams {
  /** Return entries with seq strictly below this (null = from the head). */
  beforeSeq?: number | null;
  /** Page size (default 100, at most 1000). */
  limit?: number | null;
  /** Only entries whose actor names this agent (`agent:NAME`) or whose payload names it. */
  agent?: string | null;
  /** Only entries whose payload names this path. */
  path?: string | null;
  /** Only these kinds. */
  kinds?: string[] | null;
}

/** `ledger/listEntries` result. */
export interface ListEntriesResult {
  /** Entries, newest first. */
  entries: EntrySummary[];
  /** Pass as `beforeSeq` for the next page; null when there is none. */
  nextBeforeSeq?: number | null;
  /** The head seq when the page was read. */
  headSeq: number;
}

/** A ledger entry in the timeline. */
export interface EntrySummary {
  /** The seq. */
  seq: number;
  /** The kind. */
  kind: string;
  /** Who caused it. */
  actor: string;
  /** When (ISO 8601 UTC). */
  time: string;
  /** The entry hash. */
  hash: string;
  /** A one-line description for display. */
  summary: string;
  /** The proposal concerned, if any. */
  proposalId?: string | null;
  /** Paths the entry names. */
  paths: string[];
}

/** `ledger/getEntry` params. */
export interface GetEntryParams {
  /** The seq. */
  seq: number;
}

/** `ledger/getEntry` result. */
export interface GetEntryResult {
  /** The summary. */
  entry: EntrySummary;
  /** The parent hash. */
  parent: string;
  /** The payload as JSON. */
  payload: unknown;
}

/** `ledger/getFileAtSeq` params. */
export interface GetFileAtSeqParams {
  /** The workspace-relative path. */
  path: string;
  /** The seq (inclusive); null = the head. */
  seq?: number | null;
}

/** `ledger/getFileAtSeq` result. */
export interface GetFileAtSeqResult {
  /** False when the ledger's commits left the file absent (or never touched it) at that seq. */
  exists: boolean;
  /** The content hash. */
  hash?: string | null;
  /** The text, when it decodes as text. */
  text?: string | null;
  /** The bytes, base64, when it does not. */
  base64?: string | null;
}

/** `ledger/getBlob` params. */
export interface GetBlobParams {
  /** The content hash (64 lowercase hex characters), as commit and revert payloads name it in `files[].before` and `files[].after`. */
  hash: string;
}

/** `ledger/getBlob` result. */
export interface GetBlobResult {
  /** False when the ledger stores no blob with that hash. */
  exists: boolean;
  /** The size in bytes. */
  size: number;
  /** The text, when it decodes as text. */
  text?: string | null;
  /** The bytes, base64, when it does not. */
  base64?: string | null;
}

/** Params of `ledger/verify`, `ledger/replay` and `ledger/getDrift`. */
export interface LedgerWorkParams {
  /** A client token echoed in `ledger/didProgress`; null = no progress notifications. */
  progressToken?: string | null;
  /** For replay: fold up to this seq (null = the head). */
  toSeq?: number | null;
}

/** `ledger/verify` result. */
export interface VerifyResultInfo {
  /** True when no problem was found. */
  valid: boolean;
  /** Entries checked. */
  entriesChecked: number;
  /** Blobs re-hashed. */
  blobsChecked: number;
  /** True when the signed head anchor was compared. */
  anchorChecked: boolean;
  /** Every problem. */
  problems: ProblemInfo[];
}

/** A verification problem. */
export interface ProblemInfo {
  /** The entry, or null for the whole ledger. */
  seq?: number | null;
  /** A stable code (docs/ledger-format.md). */
  code: string;
  /** What is wrong. */
  message: string;
}

/** `ledger/replay` result: the world at a seq. */
export interface ReplayResultInfo {
  /** The last entry folded. */
  seq: number;
  /** Files and their hashes (null = deleted). */
  files: WorldFileInfo[];
}

/** A file of the world. */
export interface WorldFileInfo {
  /** The path. */
  path: string;
  /** Its hash, or null when deleted. */
  hash?: string | null;
}

/** `ledger/getDrift` result. */
export interface DriftResultInfo {
  /** The head used. */
  seq: number;
  /** Drifted files. */
  items: DriftItemInfo[];
}

/** A drifted file. */
export interface DriftItemInfo {
  /** The path. */
  path: string;
  /**
   * changedOutsideLedger, missing, unexpected, notARegularFile (a symbolic link, folder or special file where the ledger has a
   * file; never read through), or pendingRedo (a commit after the applied-through mark is durable but its file is still at
   * the state it started from: the process stopped before the rename; recovery writes it at the next open).
   */
  kind: string;
  /** The ledger's last known hash. */
  expected?: string | null;
  /** The hash on disk. */
  actual?: string | null;
  /** The entry that set the expected state. */
  lastEntrySeq: number;
}

/** `ledger/revertCommit` params. */
export interface RevertCommitParams {
  /** The commit (or revert) seq. */
  seq: number;
  /** Why. */
  reason?: string | null;
}

/** The LSP `initialize` params we read; other LSP fields are accepted and ignored. */
export interface InitializeParams {
  /** The client's process id, or null. */
  processId?: number | null;
  /** The workspace folder URI (must match the sidecar's folder when given). */
  rootUri?: string | null;
  /** The client's name and version. */
  clientInfo?: ClientInfo | null;
  /** LSP client capabilities; not used. */
  capabilities?: unknown | null;
  /** The reviewer's name, recorded as `human:NAME` on decisions from this client. */
  initializationOptions?: InitializationOptions | null;
}

/** Client name and version. */
export interface ClientInfo {
  /** The client's name. */
  name: string;
  /** The client's version. */
  version?: string | null;
}

/** OpenThymos options sent in `initializationOptions`. */
export interface InitializationOptions {
  /** The reviewer's name for decisions made through this connection. */
  reviewer?: string | null;
}

/** The `initialize` result. */
export interface InitializeResult {
  /** LSP server capabilities (empty: the sidecar is not a language server). */
  capabilities: ServerCapabilities;
  /** The sidecar's name and version. */
  serverInfo: ServerInfo;
  /** The workspace the sidecar governs. */
  workspace: WorkspaceInfo;
}

/**
 * The `data` of the error with which a sidecar that cannot serve its folder answers `initialize` (`LedgerHeld`,
 * `LedgerRolledBack`, `WorkspaceCopied`); the error's message says what happened and what to do.
 */
export interface StartRefusedData {
  /** The workspace folder the sidecar was started on (full path). */
  folder: string;
  /** The shell command the message tells the user to run to resolve the refusal, for the editor to offer to copy; null when there is none. */
  command?: string | null;
}

/** LSP capabilities; OpenThymos advertises its own protocol version here. */
export interface ServerCapabilities {
  /** The OpenThymos protocol version. */
  openThymosProtocol: number;
}

/** The sidecar's name and version. */
export interface ServerInfo {
  /** "openthymos-sidecar". */
  name: string;
  /** The sidecar version. */
  version: string;
}

/** The governed workspace. */
export interface WorkspaceInfo {
  /** The workspace folder (full path). */
  root: string;
  /** The workspace id from the ledger's genesis. */
  workspaceId: string;
  /** The ledger file. */
  ledgerPath: string;
  /** The agent socket path. */
  agentSocket: string;
  /** The ledger head seq. */
  headSeq: number;
}

/** Params of requests and notifications that take none. */
export type EmptyParams = Record<string, never>;

/** Result of requests that return nothing. */
export type EmptyResult = Record<string, never>;

/** `proposal/list` params. */
export interface ListProposalsParams {
  /** Only these statuses (pending, approved, partiallyApproved, rejected, stale, failed); null = all. */
  statuses?: string[] | null;
  /** Only this agent. */
  agent?: string | null;
  /** Only proposals touching this path. */
  path?: string | null;
  /** At most this many, newest first (default 200). */
  limit?: number | null;
}

/** `proposal/list` result. */
export interface ListProposalsResult {
  /** Matching proposals, newest first. */
  proposals: ProposalSummary[];
}

/** A proposal in lists and notifications. */
export interface ProposalSummary {
  /** The proposal id. */
  proposalId: string;
  /** The current revision. */
  revision: number;
  /** pending, approved, partiallyApproved, rejected, stale or failed. */
  status: string;
  /** The proposing agent. */
  agent: string;
  /** The agent session. */
  session: string;
  /** The writ it was made under. */
  writId: string;
  /** What the agent said it is for. */
  description: string;
  /** When first staged (ISO 8601 UTC). */
  createdAt: string;
  /** When last changed (ISO 8601 UTC). */
  updatedAt: string;
  /** Per file: path, effect and hunk counts. */
  files: ProposalFileSummary[];
  /** The last rejection or failure reason, if any. */
  reason?: string | null;
  /** Every hidden or control code point (as in HunkInfo.hiddenCharacters) in this revision's hunk lines, paths and description; empty when none. */
  hiddenCharacters: string[];
}

/** A file of a proposal in lists. */
export interface ProposalFileSummary {
  /** The path (new path of a rename). */
  path: string;
  /** create, modify, delete or rename. */
  effect: string;
  /** Hunks in this revision. */
  hunkCount: number;
  /** Hunks still pending. */
  pendingCount: number;
}

/** `proposal/get` params. */
export interface GetProposalParams {
  /** The proposal id. */
  proposalId: string;
}

/** `proposal/get` result. */
export interface GetProposalResult {
  /** The summary. */
  proposal: ProposalSummary;
  /** Each file with its hunks and texts. */
  files: ProposalFileDetail[];
  /** The policy's decision and trace. */
  policy: PolicyDecisionInfo;
}

/** One file of a proposal in full. */
export interface ProposalFileDetail {
  /** The path (new path of a rename). */
  path: string;
  /** For a rename, the old path. */
  fromPath?: string | null;
  /** create, modify, delete or rename. */
  effect: string;
  /** True for binary files (no text, one whole-file hunk). */
  binary: boolean;
  /** The base hash the hunks apply to. */
  baseHash?: string | null;
  /** The hash expected on disk now (base plus hunks approved so far). */
  currentHash?: string | null;
  /** The base text (null for binary or created files). */
  baseText?: string | null;
  /** The text if every hunk is approved (null for binary or deleted files). */
  proposedText?: string | null;
  /** The hunks. */
  hunks: HunkInfo[];
}

/** One hunk on the wire. */
export interface HunkInfo {
  /** Stable id within the proposal (h1, h2, …). */
  id: string;
  /** 0-based line in the base where removed lines start (or where added lines go). */
  baseStart: number;
  /** Removed lines, each with its terminator. */
  removed: string[];
  /** Added lines, each with its terminator. */
  added: string[];
  /** pending, approved, rejected or failed. */
  status: string;
  /**
   * The code points in the removed or added lines that a reviewer could not see as written (controls other than tab,
   * bidirectional controls, invisible and default-ignorable characters), as distinct `U+XXXX` names in code point order;
   * empty when none. Shown as a warning on the hunk; approving such a hunk in bulk asks first.
   */
  hiddenCharacters: string[];
  /**
   * The hunk's content digest (64 hex digits; docs/protocol.md, Hunk digests): BLAKE3 over a canonical encoding of its file's
   * path, effect and position and its removed and added lines. A decision names the digests of the hunks the reviewer saw.
   */
  digest: string;
}

/** The policy verdict on a proposal. */
export interface PolicyDecisionInfo {
  /** The policy hash at staging. */
  hash: string;
  /** auto-approve, require-approval or deny. */
  outcome: string;
  /** Per file: the deciding rule and notes. */
  trace: PolicyTraceInfo[];
}

/** The policy trace for one file. */
export interface PolicyTraceInfo {
  /** The file. */
  path: string;
  /** The deciding rule. */
  decidedBy: string;
  /** The outcome. */
  outcome: string;
  /** Rules that did not match and why. */
  notes: string[];
}

/** `proposal/approve` params. Naming neither files nor hunks means every pending hunk. */
export interface ApproveProposalParams {
  /** The proposal id. */
  proposalId: string;
  /** The revision the reviewer saw. */
  revision: number;
  /** Whole files to approve. */
  files?: string[] | null;
  /** Hunks to approve, as `path#hunkId`. */
  hunks?: string[] | null;
  /** Reviewer replacements. */
  amendments?: AmendmentInfo[] | null;
  /**
   * The digest of each hunk the reviewer saw, by `path#hunkId` (from `HunkInfo.digest`). When given, every hunk being approved
   * must be named and every named hunk must still have that digest, or the approval is refused with `ReviewOutdated` and
   * nothing is written. Clients that show hunks send them; null pins the revision only.
   */
  hunkDigests?: Record<string, string> | null;
  /**
   * False when no person was shown this revision and the caller approves whatever is current (`thymos approve --current`);
   * the approval entry records it as unpinned. Null or true: the revision is the one the reviewer saw.
   */
  pinned?: boolean | null;
}

/** A reviewer's replacement text for a hunk (or a whole file when `HunkId` is null). */
export interface AmendmentInfo {
  /** The file. */
  path: string;
  /** The hunk, or null for the whole file. */
  hunkId?: string | null;
  /** The replacement text. */
  text: string;
}

/** `proposal/reject` params. Naming neither files nor hunks means every pending hunk. */
export interface RejectProposalParams {
  /** The proposal id. */
  proposalId: string;
  /** The revision the reviewer saw. */
  revision: number;
  /** Whole files to reject. */
  files?: string[] | null;
  /** Hunks to reject, as `path#hunkId`. */
  hunks?: string[] | null;
  /** Why, for the agent and the record. */
  reason?: string | null;
  /** The digest of each hunk the reviewer saw, by `path#hunkId`, checked as for `proposal/approve`; null pins the revision only. */
  hunkDigests?: Record<string, string> | null;
}

/** `proposal/amend` params: the reviewer's whole new text for one file of a pending proposal. */
export interface AmendProposalParams {
  /** The proposal id. */
  proposalId: string;
  /** The revision the reviewer edited; an older one is refused (RevisionMismatch). */
  revision: number;
  /** The file of the proposal whose proposed text is replaced. */
  path: string;
  /** The file's whole new text, exactly as saved; it is written in the file's encoding on approval. */
  text: string;
}

/** `proposal/amend` result. */
export interface AmendProposalResult {
  /** The proposal. */
  proposalId: string;
  /** The revision now pending: the new one, or the same when the text equalled it. */
  revision: number;
  /** True when a new revision was recorded; false when the text equalled what was already proposed. */
  recorded: boolean;
  /** The amended file's hunks in the revision now pending. */
  hunks: HunkInfo[];
}

/** The result of approve, reject and revert. */
export interface DecisionResultInfo {
  /** committed, rejected, rebased, stale or failed (refusals are JSON-RPC errors). */
  outcome: string;
  /** The proposal. */
  proposalId?: string | null;
  /** The proposal's revision afterwards. */
  revision: number;
  /** The commit or revert entry, when something was applied. */
  commitSeq?: number | null;
  /** For rebased, stale and failed: what happened and what to do. */
  message?: string | null;
}

/** `writ/issue` params. */
export interface IssueWritParams {
  /** The agent's name. */
  agent: string;
  /** A session name (default: generated). */
  session?: string | null;
  /** Path globs the agent may touch. */
  include: string[];
  /** Path globs it may not. */
  exclude?: string[] | null;
  /** Any of create, modify, delete, rename. */
  effects: string[];
  /** Most proposals (null = unlimited). */
  maxProposals?: number | null;
  /** Most distinct files (null = unlimited). */
  maxFiles?: number | null;
  /** Most bytes added (null = unlimited). */
  maxBytes?: number | null;
  /** Lifetime in seconds. */
  lifetimeSeconds: number;
  /** The parent writ for delegation. */
  parentId?: string | null;
}

/** `writ/issue` result. */
export interface IssueWritResult {
  /** The writ. */
  writ: WritInfo;
  /** The token to give the agent (it opens a session with it). */
  token: string;
}

/** A writ on the wire. */
export interface WritInfo {
  /** The writ id. */
  writId: string;
  /** The agent. */
  agent: string;
  /** The session. */
  session: string;
  /** Include globs. */
  include: string[];
  /** Exclude globs. */
  exclude: string[];
  /** Allowed effects. */
  effects: string[];
  /** Issued (ISO 8601 UTC). */
  issuedAt: string;
  /** Expires (ISO 8601 UTC). */
  expiresAt: string;
  /** The parent writ. */
  parentId?: string | null;
  /** active, expired or revoked. */
  state: string;
  /** Proposals staged so far. */
  proposalsUsed: number;
  /** Proposal budget (null = unlimited). */
  maxProposals?: number | null;
  /** Distinct files touched so far. */
  filesUsed: number;
  /** File budget (null = unlimited). */
  maxFiles?: number | null;
  /** Bytes added so far. */
  bytesUsed: number;
  /** Byte budget (null = unlimited). */
  maxBytes?: number | null;
}

/** `writ/list` result. */
export interface ListWritsResult {
  /** Writs, newest first. */
  writs: WritInfo[];
}

/** `writ/revoke` params. */
export interface RevokeWritParams {
  /** The writ. */
  writId: string;
  /** Why. */
  reason?: string | null;
}

/** `policy/get` and `policy/adopt` result: the policy in force (the one the ledger recorded last) and how the file on disk compares. */
export interface GetPolicyResult {
  /** The hash of the policy in force. */
  hash: string;
  /** file or default. */
  source: string;
  /** The policy text in force, as recorded in the ledger. */
  text: string;
  /** The load error of .thymos/policy.json, when it is invalid (the recorded policy stays in force). */
  error?: string | null;
  /** The hash of .thymos/policy.json when it differs from the policy in force (changed on disk, not in force until adopted); else null. */
  diskHash?: string | null;
  /** The text of .thymos/policy.json when it differs from the policy in force; else null. */
  diskText?: string | null;
  /** A sentence for the reviewer when the file on disk is not what governs (changed, or invalid); else null. */
  notice?: string | null;
}

/** `policy/adopt` params: make the policy file on disk the policy in force, if it is the text the reviewer saw. */
export interface AdoptPolicyParams {
  /** The `diskHash` of the text the reviewer reviewed; refused if the file has changed since. */
  hash: string;
}

/** `proposal/didChange`: a proposal was staged, revised or decided. */
export interface ProposalDidChangeParams {
  /** The proposal as it is now. */
  proposal: ProposalSummary;
}

/** `ledger/didAppend`: an entry was appended. */
export interface LedgerDidAppendParams {
  /** The entry. */
  entry: EntrySummary;
}

/** `ledger/didProgress`: progress of verify or replay. */
export interface LedgerDidProgressParams {
  /** The client's token from the request. */
  token: string;
  /** Entries processed. */
  done: number;
  /** Entries in all. */
  total: number;
}


// Message types, one per method.

export const InitializeRequest = new RequestType<InitializeParams, InitializeResult, void>(ProtocolMethods.Initialize);
export const InitializedNotification = new NotificationType<EmptyParams>(ProtocolMethods.Initialized);
export const ShutdownRequest = new RequestType0<EmptyResult | null, void>(ProtocolMethods.Shutdown);
export const ExitNotification = new NotificationType0(ProtocolMethods.Exit);
export const ProposalListRequest = new RequestType<ListProposalsParams, ListProposalsResult, void>(ProtocolMethods.ProposalList);
export const ProposalGetRequest = new RequestType<GetProposalParams, GetProposalResult, void>(ProtocolMethods.ProposalGet);
export const ProposalApproveRequest = new RequestType<ApproveProposalParams, DecisionResultInfo, void>(ProtocolMethods.ProposalApprove);
export const ProposalRejectRequest = new RequestType<RejectProposalParams, DecisionResultInfo, void>(ProtocolMethods.ProposalReject);
export const ProposalAmendRequest = new RequestType<AmendProposalParams, AmendProposalResult, void>(ProtocolMethods.ProposalAmend);
export const LedgerListEntriesRequest = new RequestType<ListEntriesParams, ListEntriesResult, void>(ProtocolMethods.LedgerListEntries);
export const LedgerGetEntryRequest = new RequestType<GetEntryParams, GetEntryResult, void>(ProtocolMethods.LedgerGetEntry);
export const LedgerGetFileAtSeqRequest = new RequestType<GetFileAtSeqParams, GetFileAtSeqResult, void>(ProtocolMethods.LedgerGetFileAtSeq);
export const LedgerGetBlobRequest = new RequestType<GetBlobParams, GetBlobResult, void>(ProtocolMethods.LedgerGetBlob);
export const LedgerVerifyRequest = new RequestType<LedgerWorkParams, VerifyResultInfo, void>(ProtocolMethods.LedgerVerify);
export const LedgerReplayRequest = new RequestType<LedgerWorkParams, ReplayResultInfo, void>(ProtocolMethods.LedgerReplay);
export const LedgerGetDriftRequest = new RequestType<LedgerWorkParams, DriftResultInfo, void>(ProtocolMethods.LedgerGetDrift);
export const LedgerRevertCommitRequest = new RequestType<RevertCommitParams, DecisionResultInfo, void>(ProtocolMethods.LedgerRevertCommit);
export const WritIssueRequest = new RequestType<IssueWritParams, IssueWritResult, void>(ProtocolMethods.WritIssue);
export const WritListRequest = new RequestType0<ListWritsResult, void>(ProtocolMethods.WritList);
export const WritRevokeRequest = new RequestType<RevokeWritParams, EmptyResult, void>(ProtocolMethods.WritRevoke);
export const PolicyGetRequest = new RequestType0<GetPolicyResult, void>(ProtocolMethods.PolicyGet);
export const PolicyAdoptRequest = new RequestType<AdoptPolicyParams, GetPolicyResult, void>(ProtocolMethods.PolicyAdopt);
export const SessionOpenRequest = new RequestType<OpenSessionParams, OpenSessionResult, void>(ProtocolMethods.SessionOpen);
export const FileReadRequest = new RequestType<ReadFileParams, ReadFileResult, void>(ProtocolMethods.FileRead);
export const FileListRequest = new RequestType<ListFilesParams, ListFilesResult, void>(ProtocolMethods.FileList);
export const IntentSubmitRequest = new RequestType<SubmitIntentParams, SubmitIntentResult, void>(ProtocolMethods.IntentSubmit);
export const ProposalGetStatusRequest = new RequestType<ProposalStatusParams, ProposalStatusResult, void>(ProtocolMethods.ProposalGetStatus);
export const ProposalWaitDecisionRequest = new RequestType<WaitDecisionParams, ProposalStatusResult, void>(ProtocolMethods.ProposalWaitDecision);
export const ProposalDidChangeNotification = new NotificationType<ProposalDidChangeParams>(ProtocolMethods.ProposalDidChange);
export const LedgerDidAppendNotification = new NotificationType<LedgerDidAppendParams>(ProtocolMethods.LedgerDidAppend);
export const LedgerDidProgressNotification = new NotificationType<LedgerDidProgressParams>(ProtocolMethods.LedgerDidProgress);
