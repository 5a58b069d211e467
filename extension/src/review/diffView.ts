// The proposal side of the diff editor: a writable virtual file system. Reading gives what the proposal
// would write; saving sends the reviewer's text to the sidecar as an amendment (proposal/amend), which
// records a new revision. Nothing here touches the workspace: the sidecar applies only on approval.
import * as vscode from 'vscode';
import { ProposalScheme } from '../constants';
import { errorCode } from '../errors';
import { proposedTextOf } from './model';
import { ErrorCodes, ProposalAmendRequest, RuntimeErrorCodes } from '../protocol';
import type { ProposalStore } from './proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';
import type { FileRef } from './targets';
import { setStatusBarMessage } from '../text/visibleUi';

/** Which text of a proposal file a URI names. */
type Side = 'proposed' | 'base';

interface ProposalUri {
  ref: FileRef;
  side: Side;
}

/** Serves `openthymos-proposal:` files: the proposed text (writable while pending) and the base text (read-only). */
export class ProposalFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  /** Per open URI: the revision last served and a modification time that moves whenever the text may have. */
  private readonly served = new Map<string, { revision: number | undefined; mtime: number }>();
  /** The last text served per proposal file and side. */
  private readonly lastText = new Map<string, string>();

  constructor(private readonly store: ProposalStore, private readonly sidecars: SidecarManager) {
    this.subscription = store.onDidChange(() => { this.announceChanges(); });
  }

  /** The URI of a proposal file's proposed (or base) text. */
  static uriFor(ref: FileRef, side: Side = 'proposed'): vscode.Uri {
    const query = new URLSearchParams({ folder: ref.folderKey, proposal: ref.proposalId, side }).toString();
    return vscode.Uri.from({ scheme: ProposalScheme, path: `/${ref.path}`, query });
  }

  watch(): vscode.Disposable {
    // Changes are announced from the proposal store for every URI that was read.
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const parsed = parse(uri);
    const bytes = this.contentOf(parsed);
    const writable = this.refusalToWrite(parsed) === undefined;
    return {
      type: vscode.FileType.File,
      ctime: 0,
      mtime: this.mtimeOf(uri, parsed),
      size: bytes.byteLength,
      ...(writable ? {} : { permissions: vscode.FilePermission.Readonly }),
    };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const parsed = parse(uri);
    this.mtimeOf(uri, parsed);
    return this.contentOf(parsed);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const parsed = parse(uri);
    const refusal = this.refusalToWrite(parsed);
    if (refusal !== undefined) {
      throw vscode.FileSystemError.NoPermissions(refusal);
    }
    const { ref } = parsed;
    const detail = this.store.get(ref.folderKey, ref.proposalId);
    const sidecar = this.sidecars.forFolderKey(ref.folderKey);
    if (detail === undefined || sidecar?.state !== 'running') {
      throw vscode.FileSystemError.Unavailable(`The OpenThymos sidecar for this folder is not running, so the amendment to ${ref.path} was not recorded. Restart it (OpenThymos: Show Sidecar Log) and save again.`);
    }
    const text = new TextDecoder('utf-8').decode(content);
    try {
      const result = await sidecar.client.sendRequest(ProposalAmendRequest, { proposalId: ref.proposalId, revision: detail.proposal.revision, path: ref.path, text });
      this.served.set(uri.toString(), { revision: result.revision, mtime: Date.now() });
      setStatusBarMessage(result.recorded
        ? `OpenThymos: amendment to ${ref.path} recorded as revision ${String(result.revision)} of ${ref.proposalId}; approve it to apply your text.`
        : `OpenThymos: ${ref.path} already proposes this text; nothing to record.`, 8000);
    } catch (error) {
      throw vscode.FileSystemError.NoPermissions(amendFailure(ref, error));
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  /** Why this URI cannot be saved, or undefined when it can. */
  private refusalToWrite({ ref, side }: ProposalUri): string | undefined {
    if (side === 'base') {
      return `This is the file as the agent read it; edit the proposed side to amend ${ref.path}.`;
    }
    if (!vscode.workspace.isTrusted) {
      return 'OpenThymos review is read-only in an untrusted workspace. Trust the workspace (Workspaces: Manage Workspace Trust) to amend proposals.';
    }
    const detail = this.store.get(ref.folderKey, ref.proposalId);
    const file = detail?.files.find((f) => f.path === ref.path);
    if (detail === undefined || file === undefined) {
      return `Proposal ${ref.proposalId} is no longer pending (it was decided or withdrawn), so ${ref.path} cannot be amended. Close this diff.`;
    }
    if (detail.proposal.status === 'stale') {
      return `Proposal ${ref.proposalId} is stale: ${ref.path} changed on disk in the lines it edits, so it can no longer be applied or amended. Reject it and ask the agent to propose again.`;
    }
    if (file.binary || file.effect === 'delete' || file.effect === 'rename') {
      return `The proposal's change to ${ref.path} is a ${file.binary ? 'binary file' : file.effect}, which has no text to edit. Approve or reject it instead.`;
    }
    if (!file.hunks.some((h) => h.status === 'pending')) {
      return `Every hunk of ${ref.path} in proposal ${ref.proposalId} is already decided; there is nothing left to amend.`;
    }
    return undefined;
  }

  private contentOf({ ref, side }: ProposalUri): Uint8Array {
    const file = this.store.get(ref.folderKey, ref.proposalId)?.files.find((f) => f.path === ref.path);
    const key = `${side}|${ref.folderKey}|${ref.proposalId}|${ref.path}`;
    let text: string;
    if (file === undefined) {
      // Decided or withdrawn while the diff is open: keep showing the last text rather than an empty file.
      text = this.lastText.get(key) ?? '';
    } else if (file.binary) {
      text = '';
    } else {
      text = (side === 'base' ? file.baseText : proposedTextOf(file)) ?? '';
      this.lastText.set(key, text);
    }
    return new TextEncoder().encode(text);
  }

  private mtimeOf(uri: vscode.Uri, { ref }: ProposalUri): number {
    const key = uri.toString();
    const revision = this.store.get(ref.folderKey, ref.proposalId)?.proposal.revision;
    const known = this.served.get(key);
    if (known === undefined || known.revision !== revision) {
      const next = { revision, mtime: Math.max(Date.now(), (known?.mtime ?? 0) + 1) };
      this.served.set(key, next);
      return next.mtime;
    }
    return known.mtime;
  }

  /** Tells VS Code which open proposal files changed (a new revision, a decision), so it reloads them. */
  private announceChanges(): void {
    const changed: vscode.FileChangeEvent[] = [];
    for (const [key, known] of this.served) {
      const uri = vscode.Uri.parse(key);
      const { ref } = parse(uri);
      const revision = this.store.get(ref.folderKey, ref.proposalId)?.proposal.revision;
      if (revision !== known.revision) {
        changed.push({ type: vscode.FileChangeType.Changed, uri });
      }
    }
    if (changed.length > 0) {
      this.emitter.fire(changed);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function parse(uri: vscode.Uri): ProposalUri {
  const query = new URLSearchParams(uri.query);
  return {
    ref: { folderKey: query.get('folder') ?? '', proposalId: query.get('proposal') ?? '', path: uri.path.replace(/^\//u, '') },
    side: query.get('side') === 'base' ? 'base' : 'proposed',
  };
}

/** What a failed save says: what happened to which file, and what to do next. */
function amendFailure(ref: FileRef, error: unknown): string {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const runtime = (c: number): number => ErrorCodes.RuntimeErrorBase + c;
  if (code === runtime(RuntimeErrorCodes.RevisionMismatch)) {
    return `The amendment to ${ref.path} was not recorded: proposal ${ref.proposalId} changed since this diff was opened (${detail}). Copy your text, reopen the diff from the Pending view and save again.`;
  }
  if (code === runtime(RuntimeErrorCodes.ProposalNotPending) || code === runtime(RuntimeErrorCodes.ProposalNotFound)) {
    return `The amendment to ${ref.path} was not recorded: ${detail}`;
  }
  return `The amendment to ${ref.path} was not recorded: ${detail} See OpenThymos: Show Sidecar Log for details.`;
}
