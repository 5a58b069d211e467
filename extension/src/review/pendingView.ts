// The Pending view: pending proposals grouped by agent, then file, with hunk counts and age; in a multi-root
// workspace, by folder first (each folder has its own sidecar and ledger). Stale proposals stay listed with a
// warning until the reviewer rejects (dismisses) them.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { EditTracker } from './editTracker';
import { trackRange } from './lineTracking';
import { formatAge, groupPending, hunkLineRange, pendingHunks, plural } from './model';
import type { PendingAgentGroup, PendingFileGroup } from './model';
import { ProposalStore } from './proposalStore';
import type { FileRef, HunkRef } from './targets';
import { pendingHunkLabel, proposalFileTooltipMarkdown, staleFileTooltipMarkdown } from '../text/reviewText';
import { visibleLine } from '../text/visibleText';
import { safeMarkdown } from '../text/visibleUi';

/** A node of the Pending tree. */
export type PendingNode =
  | { kind: 'folder'; folderKey: string; name: string; pendingCount: number }
  | { kind: 'agent'; folderKey: string; group: PendingAgentGroup }
  | { kind: 'file'; folderKey: string; file: PendingFileGroup; fileRef: FileRef }
  | { kind: 'hunk'; folderKey: string; hunkRef: HunkRef; label: string; line: number };

/** The tree data of the Pending view. */
export class PendingTreeProvider implements vscode.TreeDataProvider<PendingNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PendingNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: ProposalStore, private readonly edits: EditTracker) {
    this.subscriptions = [
      store.onDidChange(() => { this.emitter.fire(undefined); }),
      // A hunk's line number follows the user's unsaved edits above it, so typing in a file with pending hunks
      // refreshes the view (other files' edits do not).
      edits.onDidChange((uri) => {
        if (store.hunksFor(uri).length > 0) {
          this.emitter.fire(undefined);
        }
      }),
    ];
  }

  getChildren(node?: PendingNode): PendingNode[] {
    if (node === undefined) {
      const byFolder = new Map<string, ReturnType<ProposalStore['proposals']>>();
      for (const entry of this.store.listed()) {
        const list = byFolder.get(entry.folderKey) ?? [];
        list.push(entry);
        byFolder.set(entry.folderKey, list);
      }
      if ((vscode.workspace.workspaceFolders ?? []).length > 1) {
        return [...byFolder.entries()].map(([folderKey, list]): PendingNode => ({
          kind: 'folder',
          folderKey,
          name: vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folderKey))?.name ?? folderKey,
          pendingCount: groupPending(list.map((e) => e.detail.proposal)).reduce((n, g) => n + g.pendingCount, 0),
        }));
      }
      return [...byFolder.entries()].flatMap(([folderKey, list]) => this.agentsOf(folderKey, list));
    }
    if (node.kind === 'folder') {
      return this.agentsOf(node.folderKey, this.store.proposals().filter((e) => e.folderKey === node.folderKey));
    }
    if (node.kind === 'agent') {
      return node.group.files.map((file): PendingNode => ({
        kind: 'file',
        folderKey: node.folderKey,
        file,
        fileRef: { folderKey: node.folderKey, proposalId: file.proposal.proposalId, path: file.path, revision: file.proposal.revision },
      }));
    }
    if (node.kind === 'file' && !node.file.stale) {
      const detail = this.store.get(node.folderKey, node.file.proposal.proposalId);
      const file = detail?.files.find((f) => f.path === node.file.path);
      if (file === undefined) {
        return [];
      }
      const unsaved = this.edits.editsFor(ProposalStore.fileUri(node.folderKey, file.path));
      return pendingHunks(file).map((hunk): PendingNode => {
        const range = trackRange(hunkLineRange(hunk, file.hunks), unsaved);
        return {
          kind: 'hunk',
          folderKey: node.folderKey,
          hunkRef: { ...node.fileRef, hunkId: hunk.id },
          label: pendingHunkLabel(hunk, range.start, range.conflict),
          line: range.start,
        };
      });
    }
    return [];
  }

  private agentsOf(folderKey: string, list: ReturnType<ProposalStore['proposals']>): PendingNode[] {
    return groupPending(list.map((e) => e.detail.proposal)).map((group): PendingNode => ({ kind: 'agent', folderKey, group }));
  }

  getTreeItem(node: PendingNode): vscode.TreeItem {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(visibleLine(node.name), vscode.TreeItemCollapsibleState.Expanded);
      item.description = plural(node.pendingCount, 'pending hunk');
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'openthymos.folder';
      return item;
    }
    if (node.kind === 'agent') {
      const item = new vscode.TreeItem(visibleLine(node.group.agent), vscode.TreeItemCollapsibleState.Expanded);
      const stale = node.group.files.filter((f) => f.stale).length;
      item.description = plural(node.group.pendingCount, 'pending hunk') + (stale > 0 ? ` · ${String(stale)} stale` : '');
      item.iconPath = new vscode.ThemeIcon('hubot');
      item.contextValue = 'openthymos.agent';
      return item;
    }
    if (node.kind === 'file' && node.file.stale) {
      const proposal = node.file.proposal;
      const item = new vscode.TreeItem(visibleLine(node.file.path), vscode.TreeItemCollapsibleState.None);
      item.resourceUri = ProposalStore.fileUri(node.folderKey, node.file.path);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.description = `stale: file changed on disk · not applied · ${formatAge(proposal.updatedAt)}`;
      item.tooltip = safeMarkdown(staleFileTooltipMarkdown(proposal, node.file.path));
      item.contextValue = 'openthymos.staleFile';
      item.command = { command: Commands.ShowDiff, title: 'Show Proposal Diff', arguments: [node.fileRef] };
      return item;
    }
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(visibleLine(node.file.path), vscode.TreeItemCollapsibleState.Collapsed);
      item.resourceUri = ProposalStore.fileUri(node.folderKey, node.file.path);
      const hidden = node.file.proposal.hiddenCharacters.length > 0 ? ' · ⚠ hidden characters' : '';
      item.description = `${visibleLine(node.file.effect)} · ${String(node.file.pendingCount)}/${plural(node.file.hunkCount, 'hunk')} pending${hidden} · ${formatAge(node.file.proposal.createdAt)}`;
      item.tooltip = safeMarkdown(proposalFileTooltipMarkdown(node.file.proposal));
      if (hidden !== '') {
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      }
      item.contextValue = 'openthymos.file';
      item.command = { command: Commands.ShowDiff, title: 'Show Proposal Diff', arguments: [node.fileRef] };
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'openthymos.hunk';
    item.iconPath = new vscode.ThemeIcon('diff');
    const uri = ProposalStore.fileUri(node.folderKey, node.hunkRef.path);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(node.line, 0, node.line, 0) }] };
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.emitter.dispose();
  }
}
