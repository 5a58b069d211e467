// Pure knowledge about ledger entry kinds (no vscode import): their names, payload shapes, display names, codicons
// and colors, as docs/ledger-format.md lists them. The C# side is Core's EntryKindRegistry; ProtocolParityTests keeps
// the kinds, the payload field names and types, and the file-changing kinds equal. Unit-tested by
// tests/node/ledgerModel.test.mjs.

/** The entry kinds of ledger format version 1. */
export const EntryKinds = {
  Genesis: 'genesis',
  WritIssued: 'writ.issued',
  WritRevoked: 'writ.revoked',
  ProposalStaged: 'proposal.staged',
  Approval: 'proposal.approved',
  Rejection: 'proposal.rejected',
  Commit: 'commit',
  ExecutionFailed: 'execution.failed',
  Revert: 'revert',
  ExternalChangeObserved: 'external-change.observed',
  PolicyChanged: 'policy.changed',
  RollbackAccepted: 'ledger.rollback-accepted',
} as const;

/** How an entry kind is shown. */
export interface EntryKindStyle {
  /** A human name ("Commit", "Proposal staged"). */
  label: string;
  /** The codicon id for a ThemeIcon. */
  icon: string;
  /** A theme color id for the icon, when the kind deserves attention. */
  color?: string;
}

const styles: Record<string, EntryKindStyle> = {
  [EntryKinds.Genesis]: { label: 'Ledger created', icon: 'rocket' },
  [EntryKinds.WritIssued]: { label: 'Writ issued', icon: 'key' },
  [EntryKinds.WritRevoked]: { label: 'Writ revoked', icon: 'circle-slash', color: 'charts.orange' },
  [EntryKinds.ProposalStaged]: { label: 'Proposal staged', icon: 'git-pull-request-draft' },
  [EntryKinds.Approval]: { label: 'Approved', icon: 'pass', color: 'charts.green' },
  [EntryKinds.Rejection]: { label: 'Rejected', icon: 'close', color: 'charts.red' },
  [EntryKinds.Commit]: { label: 'Commit', icon: 'git-commit', color: 'charts.blue' },
  [EntryKinds.ExecutionFailed]: { label: 'Execution failed', icon: 'error', color: 'charts.red' },
  [EntryKinds.Revert]: { label: 'Revert', icon: 'discard', color: 'charts.purple' },
  [EntryKinds.ExternalChangeObserved]: { label: 'External change', icon: 'warning', color: 'charts.yellow' },
  [EntryKinds.PolicyChanged]: { label: 'Policy changed', icon: 'law' },
  [EntryKinds.RollbackAccepted]: { label: 'Restored ledger accepted', icon: 'history', color: 'charts.red' },
};

/** Every known kind, in the order of the format document. */
export const allEntryKinds: readonly string[] = Object.values(EntryKinds);

/** The kinds whose payload's `files[]` are file changes that were applied (C# `WorldEffect.FileChanges`). */
export const fileChangingKinds: readonly string[] = [EntryKinds.Commit, EntryKinds.Revert];

/** How to show a kind; unknown kinds (a newer ledger) get a neutral icon and their raw name. */
export function entryKindStyle(kind: string): EntryKindStyle {
  return styles[kind] ?? { label: kind, icon: 'circle-small' };
}

/** True for the kinds whose entry changed files, so a diff can be rebuilt for them. */
export function changesFiles(kind: string): boolean {
  return fileChangingKinds.includes(kind);
}

/** The agent an actor names (`agent:NAME` → NAME), else undefined. */
export function agentOfActor(actor: string): string | undefined {
  return actor.startsWith('agent:') ? actor.slice('agent:'.length) : undefined;
}

/** The payload of each entry kind, as `ledger/getEntry` returns it in `payload` (C# `EntryKindRegistry`). */
export interface EntryPayloads {
  'genesis': GenesisPayload;
  'writ.issued': WritIssuedPayload;
  'writ.revoked': WritRevokedPayload;
  'proposal.staged': ProposalStagedPayload;
  'proposal.approved': ApprovalPayload;
  'proposal.rejected': RejectionPayload;
  'commit': CommitPayload;
  'execution.failed': ExecutionFailedPayload;
  'revert': RevertPayload;
  'external-change.observed': ExternalChangeObservedPayload;
  'policy.changed': PolicyChangedPayload;
  'ledger.rollback-accepted': RollbackAcceptedPayload;
}

// The payload records below mirror Core/Ledger/Payloads field by field (wire name, type, nullability); a field that
// may be null is optional here, since entries written before it existed do not carry it.

/** The first entry of every ledger: what workspace it belongs to and how to check it. C# record: `GenesisPayload`. */
export interface GenesisPayload {
  /** The ledger format version (`Version`). */
  formatVersion: number;
  /** A random id naming the workspace; keys and anchors are filed under it. */
  workspaceId: string;
  /** The workspace's Ed25519 public key (hex) that signs writs and the head anchor. */
  workspaceKey: string;
  /** Always "blake3-256". */
  hashAlgorithm: string;
  /** Always "otle-1": the canonical entry encoding of docs/ledger-format.md. */
  entryEncoding: string;
}

/** A writ as signed: its canonical JSON object and the Ed25519 signature over it. C# record: `WritIssuedPayload`. */
export interface WritIssuedPayload {
  /** The writ's canonical JSON object (docs/writs.md). */
  writ: Record<string, unknown>;
  /** Hex Ed25519 signature by the workspace key over the canonical bytes of `writ`. */
  signature: string;
}

/** A writ (and its delegated children) stopped granting anything. C# record: `WritRevokedPayload`. */
export interface WritRevokedPayload {
  /** The revoked writ. */
  writId: string;
  /** Why, as given. */
  reason: string;
  /** Child writs revoked with it. */
  cascade: string[];
}

/** A compiled intent awaiting decision. C# record: `ProposalStagedPayload`. */
export interface ProposalStagedPayload {
  /** Stable id (p_…) across revisions. */
  proposalId: string;
  /** 1 for the first staging; higher after a rebase or a partial decision. */
  revision: number;
  /** Why this revision exists: `submitted`, `rebased` or `amended` (see `RevisionReasons`). */
  revisionReason: string;
  /** The writ the agent submitted under. */
  writId: string;
  /** The agent's name from the writ. */
  agent: string;
  /** The agent session from the writ. */
  session: string;
  /** The submission nonce the agent sent (replays are refused). */
  nonce: string;
  /** Hash of the canonical intent, which makes identical re-submissions idempotent. */
  intentDigest: string;
  /** What the agent said the change is for. */
  description: string;
  /** The files and their hunks. */
  files: ProposalFileRecord[];
  /** The policy decision. */
  policy: PolicyDecisionRecord;
  /** The payload format: null (absent) for format 1, where every file's hunks are inline; 2 when files may name their hunks by `HunksBlob` (docs/ledger-format.md, "Payload formats"). */
  format?: number | null;
}

/** A decision to apply some or all hunks of a proposal revision, with any reviewer amendments. C# record: `ApprovalPayload`. */
export interface ApprovalPayload {
  /** The proposal. */
  proposalId: string;
  /** The revision the reviewer saw. */
  revision: number;
  /** `human:NAME`, or `policy:RULE` for an auto-approval. */
  approver: string;
  /** Approved hunks as `path#hunkId`. */
  hunks: string[];
  /** Reviewer replacements recorded beside the originals. */
  amendments: AmendmentRecord[];
  /** Hash of the policy in force at the decision. */
  policyHash: string;
  /** Per file: the hash expected on disk now and the hash after applying this decision. */
  files: FileChangeRecord[];
  /** The approver's note; for a revert (proposal id `revert:SEQ`) the reason. */
  note: string;
  /** The content digest of each hunk the reviewer saw, by `path#hunkId`, as the approve request named them (checked against the revision before anything was recorded). Absent from the entry when the request named none (older clients, policy auto-approvals, reverts), so entries written before this field existed keep their bytes and hash. */
  hunkDigests?: Record<string, string> | null;
  /** False when the approver did not pin a revision it had shown (`thymos approve --current` approves whatever is current); absent otherwise. */
  pinned?: boolean | null;
}

/** A rejection: of hunks, files or a whole proposal by a reviewer, or by the runtime (revoked writ, stale base, policy deny), or of an intent refused before it became a proposal. C# record: `RejectionPayload`. */
export interface RejectionPayload {
  /** The proposal, or null for an intent refused before staging. */
  proposalId?: string | null;
  /** The revision, or 0 when there is no proposal. */
  revision: number;
  /** Rejected hunks as `path#hunkId` (empty for a refused intent). */
  hunks: string[];
  /** Stable code: `reviewer`, `writ-revoked`, `stale-base`, `policy-denied`, `path-refused`, `writ-refused`, `intent-invalid`, `replayed-nonce`, `session-refused`. */
  reasonCode: string;
  /** A sentence naming what was refused and what to do. */
  reason: string;
  /** The agent concerned, if known. */
  agent?: string | null;
  /** The writ concerned, if known. */
  writId?: string | null;
  /** Paths the refused intent named. */
  paths: string[];
  /** Hash of the policy in force. */
  policyHash: string;
  /** For a refused attempt (no proposal): how many attempts this entry stands for; absent means 1. An aggregate entry (count above 1) stands for repeats of one refusal (same session or token scope, reason and error) within one window. */
  count?: number | null;
  /** For an aggregate: when the first attempt it counts was refused (Unix milliseconds). */
  firstTime?: number | null;
  /** For an aggregate: when the last attempt it counts was refused (Unix milliseconds). */
  lastTime?: number | null;
  /** For a refused attempt: a BLAKE3 digest of what was refused (the intent's files, or the token), never its content. */
  digest?: string | null;
  /** For an aggregate: the digests of up to eight of the attempts it counts. */
  samples?: string[] | null;
  /** For a refused intent: the bytes of content it carried, when known. */
  requestBytes?: number | null;
  /** For a refused intent: how many paths it named, when more than `paths` records. */
  pathCount?: number | null;
}

/** The record of an applied change. C# record: `CommitPayload`. */
export interface CommitPayload {
  /** The proposal the change came from. */
  proposalId: string;
  /** The proposal revision that was approved. */
  revision: number;
  /** The writ the proposal was made under. */
  writId: string;
  /** The agent that proposed it. */
  agent: string;
  /** Who approved: `human:NAME` or `policy:RULE`. */
  approver: string;
  /** The seq of the approval entry this commit carries out. */
  approvalSeq: number;
  /** Hash of the policy in force at the decision. */
  policyHash: string;
  /** The hunks applied, as `path#hunkId`. */
  hunks: string[];
  /** Each file's before and after hashes. */
  files: FileChangeRecord[];
  /** True when the commit was completed by crash recovery after a restart. */
  recovered: boolean;
}

/** An approved change that was not applied, and why; the workspace holds the before state. C# record: `ExecutionFailedPayload`. */
export interface ExecutionFailedPayload {
  /** The proposal. */
  proposalId: string;
  /** The revision approved. */
  revision: number;
  /** The approval that could not be carried out. */
  approvalSeq: number;
  /** A stable code, e.g. `io-error` or `interrupted-apply-conflict`. */
  reasonCode: string;
  /** A sentence naming the file and what to do. */
  reason: string;
}

/** A compensating commit. C# record: `RevertPayload`. */
export interface RevertPayload {
  /** The seq of the commit (or revert) being compensated. */
  reverts: number;
  /** The approval entry (proposal id `revert:SEQ`) this revert carries out. */
  approvalSeq: number;
  /** Who asked for the revert. */
  actor: string;
  /** Why, as the user gave it. */
  reason: string;
  /** Hash of the policy in force. */
  policyHash: string;
  /** Each file's before and after hashes. */
  files: FileChangeRecord[];
}

/** A file was found different from what the ledger expected; the observed bytes are a blob. C# record: `ExternalChangeObservedPayload`. */
export interface ExternalChangeObservedPayload {
  /** The file. */
  path: string;
  /** The hash the ledger expected, or null for absent. */
  expected?: string | null;
  /** The hash found on disk, or null for absent. */
  observed?: string | null;
  /** The proposal whose approval noticed it, if any. */
  proposalId?: string | null;
}

/** The workspace policy in force changed; its text is stored as a blob under `hash`. C# record: `PolicyChangedPayload`. */
export interface PolicyChangedPayload {
  /** The policy hash before, or null for the first policy. */
  previousHash?: string | null;
  /** The new policy hash. */
  hash: string;
  /** `file` for .thymos/policy.json, `default` for the built-in default. */
  source: string;
}

/** An operator acknowledged that the ledger is behind its signed head record (restored from an older copy, or its newest entries removed) and chose to go on from it. It names the head the records vouched for and the head the ledger had, so the rollback stays visible in the ledger for good. C# record: `RollbackAcceptedPayload`. */
export interface RollbackAcceptedPayload {
  /** The seq the head anchor or witness recorded (the newest of the two). */
  recordedSeq: number;
  /** The entry hash they recorded at that seq. */
  recordedHash: string;
  /** Where that record was: the anchor or witness file. */
  recordedIn: string;
  /** The seq of the ledger's head when the rollback was accepted. */
  headSeq: number;
  /** The hash of that head entry. */
  headHash: string;
  /** What was found, as shown to the operator. */
  reason: string;
}

/** A file the proposal touches. Base and result bytes are stored as blobs under their hashes, so the proposal can be rebuilt and reviewed from the ledger alone. C# record: `ProposalFileRecord`. */
export interface ProposalFileRecord {
  /** The path the change applies to (the new path of a rename). */
  path: string;
  /** `create`, `modify`, `delete` or `rename`. */
  effect: string;
  /** For a rename, the old path; otherwise null. */
  fromPath?: string | null;
  /** Hash of the file the proposal was computed against (null for create). */
  baseHash?: string | null;
  /** Hash of the file if every hunk is approved (null for delete). */
  resultHash?: string | null;
  /** True when the file is not text: the proposal is one whole-file hunk. */
  binary: boolean;
  /** The text encoding detected for diffing (utf-8, utf-8-bom, utf-16le-bom, utf-16be-bom, latin-1), or null. */
  encoding?: string | null;
  /** Removed plus added lines, as the policy saw it. */
  changedLines: number;
  /** The hunks, relative to `baseHash`'s content (empty in the stored form when `hunksBlob` names them). */
  hunks: HunkRecord[];
  /** Payload format 2: the hash of the blob holding this file's hunks (`HunkListBlob`), so that no entry carries a large file's lines; null (and absent from the JSON) when the hunks are inline, as in format 1. Readers get the hunks filled in and this null from `Decode`. */
  hunksBlob?: string | null;
}

/** One hunk of a file proposal: the base lines it removes and the lines it adds, with terminators. C# record: `HunkRecord`. */
export interface HunkRecord {
  /** Stable id within the proposal (h1, h2, …); kept across revisions. */
  id: string;
  /** 0-based index of the first removed line in this revision's base. */
  baseStart: number;
  /** Exact base lines removed, each with its own line terminator. */
  removed: string[];
  /** Exact lines added, each with its own line terminator. */
  added: string[];
}

/** What the workspace policy decided and why. C# record: `PolicyDecisionRecord`. */
export interface PolicyDecisionRecord {
  /** Hash of the policy in force. */
  hash: string;
  /** `auto-approve`, `require-approval` or `deny`. */
  outcome: string;
  /** Per file, which rule decided and which rules did not match and why. */
  trace: PolicyTraceRecord[];
}

/** The policy trace for one file. C# record: `PolicyTraceRecord`. */
export interface PolicyTraceRecord {
  /** The file. */
  path: string;
  /** The rule name, `default`, or `builtin:PATTERN`. */
  decidedBy: string;
  /** The file's outcome. */
  outcome: string;
  /** Rules considered and why they did not match. */
  notes: string[];
}

/** A reviewer's replacement text for one hunk, or for a whole file when `hunkId` is null. C# record: `AmendmentRecord`. */
export interface AmendmentRecord {
  /** The file. */
  path: string;
  /** The hunk replaced, or null for the whole file. */
  hunkId?: string | null;
  /** Hash of the agent's proposed text for that hunk or file. */
  originalHash: string;
  /** The reviewer's replacement text. */
  text: string;
}

/** One file's change as applied: content hashes of the exact bytes before and after (null when the file did not exist before, or does not exist after). Both versions are stored as blobs. C# record: `FileChangeRecord`. */
export interface FileChangeRecord {
  /** Workspace-relative path with '/' separators. */
  path: string;
  /** Content hash before the change, or null for a created file. */
  before?: string | null;
  /** Content hash after the change, or null for a deleted file. */
  after?: string | null;
  /** The Unix file mode after the change (octal digits as an integer of its value), or null. */
  mode?: number | null;
}
