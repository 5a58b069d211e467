// The Ledger Timeline view: the newest ledger entries, refreshed on ledger/didAppend.
import * as vscode from 'vscode';
import { LedgerListEntriesRequest } from './protocol';
import type { EntrySummary } from './protocol';
import type { ProposalStore } from './proposalStore';
import type { SidecarManager } from './sidecarManager';
import { formatAge } from './model';

interface TimelineNode {
  folderName: string;
  entry: EntrySummary;
}

/** The tree data of the Ledger Timeline view. */
export class TimelineTreeProvider implements vscode.TreeDataProvider<TimelineNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sidecars: SidecarManager, store: ProposalStore) {
    this.subscriptions = [
      store.onDidAppend(() => { this.refreshSoon(); }),
      sidecars.onDidChangeState(() => { this.refreshSoon(); }),
    ];
  }

  /** Refreshes after a short pause, so bursts of appends refresh once. */
  refreshSoon(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(undefined);
    }, 250);
  }

  async getChildren(node?: TimelineNode): Promise<TimelineNode[]> {
    if (node !== undefined) {
      return [];
    }
    const running = this.sidecars.all.filter((s) => s.state === 'running');
    const pages = await Promise.all(running.map(async (s) => {
      try {
        const page = await s.client.sendRequest(LedgerListEntriesRequest, { limit: 100 });
        return page.entries.map((entry) => ({ folderName: s.folder.name, entry }));
      } catch {
        return [];
      }
    }));
    return pages.flat().sort((a, b) => b.entry.time.localeCompare(a.entry.time));
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    const item = new vscode.TreeItem(`#${String(node.entry.seq)} ${node.entry.kind}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${node.entry.actor} · ${formatAge(node.entry.time)}${this.sidecars.all.length > 1 ? ` · ${node.folderName}` : ''}`;
    item.tooltip = `${node.entry.summary}\n${node.entry.time}\nhash ${node.entry.hash}${node.entry.paths.length > 0 ? `\n${node.entry.paths.join('\n')}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(node.entry.kind.includes('commit') ? 'git-commit' : node.entry.kind.includes('reject') ? 'close' : 'circle-small');
    item.contextValue = 'openthymos.entry';
    return item;
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.emitter.dispose();
  }
}
