// Pending (and stale) proposals per workspace folder: loaded with proposal/list + proposal/get, kept
// current by the sidecar's proposal/didChange pushes (never polled).
import * as vscode from 'vscode';
import type { FolderSidecar } from '../sidecar/sidecar';
import type { SidecarManager } from '../sidecar/sidecarManager';
import {
  LedgerDidAppendNotification,
  ProposalDidChangeNotification,
  ProposalGetRequest,
  ProposalListRequest,
} from '../protocol';
import type { EntrySummary, GetProposalResult, HunkInfo, ProposalFileDetail, ProposalSummary } from '../protocol';
import { pendingHunks } from './model';

/** A pending hunk with everything needed to act on it. */
export interface HunkTarget {
  /** The folder (URI string). */
  folderKey: string;
  /** The proposal. */
  proposal: ProposalSummary;
  /** The file. */
  file: ProposalFileDetail;
  /** The hunk. */
  hunk: HunkInfo;
}

/** A file of a proposal with pending hunks. */
export interface FileTarget {
  /** The folder (URI string). */
  folderKey: string;
  /** The proposal. */
  proposal: ProposalSummary;
  /** The file. */
  file: ProposalFileDetail;
}

const pendingStatuses = ['pending', 'partiallyApproved'];
/** Kept in the store: pending proposals, and stale ones until the reviewer dismisses them. */
const listedStatuses = [...pendingStatuses, 'stale'];
const dismissedKey = 'openthymos.dismissedStaleProposals';

/** The proposals of every folder. */
export class ProposalStore implements vscode.Disposable {
  private readonly byFolder = new Map<string, Map<string, GetProposalResult>>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly appendEmitter = new vscode.EventEmitter<{ folderKey: string; entry: EntrySummary }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when proposals change. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires for each `ledger/didAppend`. */
  readonly onDidAppend = this.appendEmitter.event;

  constructor(private readonly sidecars: SidecarManager, private readonly log: vscode.OutputChannel, private readonly memento: vscode.Memento) {
    this.disposables.push(
      sidecars.onDidAdd((sidecar) => { this.attach(sidecar); }),
      sidecars.onDidRemove((sidecar) => {
        this.byFolder.delete(sidecar.folder.uri.toString());
        this.changeEmitter.fire();
      }),
    );
  }

  private attach(sidecar: FolderSidecar): void {
    const key = sidecar.folder.uri.toString();
    this.disposables.push(
      sidecar.client.onNotification(ProposalDidChangeNotification, (params) => { void this.update(sidecar, params.proposal); }),
      sidecar.client.onNotification(LedgerDidAppendNotification, (params) => { this.appendEmitter.fire({ folderKey: key, entry: params.entry }); }),
      sidecar.onDidBecomeReady(() => { void this.reload(sidecar); }),
    );
  }

  /** Reloads every folder. */
  async reloadAll(): Promise<void> {
    await Promise.all(this.sidecars.all.filter((s) => s.state === 'running').map((s) => this.reload(s)));
  }

  /** Reloads one folder's pending proposals. */
  async reload(sidecar: FolderSidecar): Promise<void> {
    const key = sidecar.folder.uri.toString();
    try {
      const list = await sidecar.client.sendRequest(ProposalListRequest, { statuses: listedStatuses });
      const details = await Promise.all(list.proposals.filter((p) => !this.isDismissed(p)).map((p) => sidecar.client.sendRequest(ProposalGetRequest, { proposalId: p.proposalId })));
      this.byFolder.set(key, new Map(details.map((d) => [d.proposal.proposalId, d])));
      this.changeEmitter.fire();
    } catch (error) {
      this.log.appendLine(`[${sidecar.folder.name}] could not load pending proposals: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async update(sidecar: FolderSidecar, summary: ProposalSummary): Promise<void> {
    const key = sidecar.folder.uri.toString();
    let folder = this.byFolder.get(key);
    if (folder === undefined) {
      folder = new Map();
      this.byFolder.set(key, folder);
    }
    if (!listedStatuses.includes(summary.status) || this.isDismissed(summary)) {
      folder.delete(summary.proposalId);
      this.changeEmitter.fire();
      return;
    }
    try {
      const detail = await sidecar.client.sendRequest(ProposalGetRequest, { proposalId: summary.proposalId });
      folder.set(summary.proposalId, detail);
    } catch (error) {
      this.log.appendLine(`[${sidecar.folder.name}] could not fetch proposal ${summary.proposalId}: ${error instanceof Error ? error.message : String(error)}`);
      folder.delete(summary.proposalId);
    }
    this.changeEmitter.fire();
  }

  /** Pending proposals of a folder (all folders when omitted). */
  proposals(folderKey?: string): { folderKey: string; detail: GetProposalResult }[] {
    return this.listed(folderKey).filter((e) => pendingStatuses.includes(e.detail.proposal.status));
  }

  /** Pending proposals and the stale ones not dismissed yet, for the Pending view. */
  listed(folderKey?: string): { folderKey: string; detail: GetProposalResult }[] {
    const result: { folderKey: string; detail: GetProposalResult }[] = [];
    for (const [key, folder] of this.byFolder) {
      if (folderKey === undefined || key === folderKey) {
        for (const detail of folder.values()) {
          result.push({ folderKey: key, detail });
        }
      }
    }
    return result;
  }

  /**
   * Removes a stale proposal from the Pending view. The runtime already refused it (its hunks are
   * recorded as rejected, reason stale-base), so this records nothing; it is remembered per workspace.
   */
  async dismissStale(folderKey: string, proposalId: string): Promise<void> {
    const dismissed = this.memento.get<string[]>(dismissedKey, []);
    if (!dismissed.includes(proposalId)) {
      await this.memento.update(dismissedKey, [...dismissed, proposalId].slice(-1000));
    }
    this.byFolder.get(folderKey)?.delete(proposalId);
    this.changeEmitter.fire();
  }

  private isDismissed(summary: ProposalSummary): boolean {
    return summary.status === 'stale' && this.memento.get<string[]>(dismissedKey, []).includes(summary.proposalId);
  }

  /** One proposal. */
  get(folderKey: string, proposalId: string): GetProposalResult | undefined {
    return this.byFolder.get(folderKey)?.get(proposalId);
  }

  /** The file URI of a proposal file. */
  static fileUri(folderKey: string, path: string): vscode.Uri {
    return vscode.Uri.joinPath(vscode.Uri.parse(folderKey), ...path.split('/'));
  }

  /** Files with pending hunks for a document, oldest proposal first. */
  filesFor(uri: vscode.Uri): FileTarget[] {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder === undefined) {
      return [];
    }
    const key = folder.uri.toString();
    const relative = vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
    const result: FileTarget[] = [];
    for (const { detail } of this.proposals(key)) {
      for (const file of detail.files) {
        if (file.path === relative && pendingHunks(file).length > 0) {
          result.push({ folderKey: key, proposal: detail.proposal, file });
        }
      }
    }
    return result.sort((a, b) => a.proposal.createdAt.localeCompare(b.proposal.createdAt));
  }

  /** Pending hunks for a document. */
  hunksFor(uri: vscode.Uri): HunkTarget[] {
    return this.filesFor(uri).flatMap((f) => pendingHunks(f.file).map((hunk) => ({ ...f, hunk })));
  }

  /** Every pending hunk. */
  allHunks(): HunkTarget[] {
    return this.proposals().flatMap(({ folderKey, detail }) =>
      detail.files.flatMap((file) => pendingHunks(file).map((hunk) => ({ folderKey, proposal: detail.proposal, file, hunk }))));
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
    this.changeEmitter.dispose();
    this.appendEmitter.dispose();
  }
}
