// The Agents and Writs view: writs from writ/list, grouped by agent.
import * as vscode from 'vscode';
import { WritListRequest } from '../protocol';
import type { WritInfo } from '../protocol';
import type { ProposalStore } from '../review/proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { isExpired } from './writExpiry';
import { writLabel, writTooltipMarkdown } from '../text/reviewText';
import { visibleLine } from '../text/visibleText';
import { safeMarkdown } from '../text/visibleUi';

/** A writ with its folder. */
export interface WritNode {
  folderKey: string;
  writ: WritInfo;
}

/** Lists writs of every running sidecar. */
export async function listWrits(sidecars: SidecarManager): Promise<WritNode[]> {
  const running = sidecars.all.filter((s) => s.state === 'running');
  const lists = await Promise.all(running.map(async (s) => {
    try {
      const result = await s.client.sendRequest(WritListRequest);
      return result.writs.map((writ) => ({ folderKey: s.folder.uri.toString(), writ }));
    } catch {
      return [];
    }
  }));
  return lists.flat();
}

/** The tree data of the Agents and Writs view. */
export class AgentsTreeProvider implements vscode.TreeDataProvider<WritNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sidecars: SidecarManager, store: ProposalStore) {
    this.subscriptions = [
      store.onDidAppend(({ entry }) => {
        if (entry.kind.toLowerCase().includes('writ')) {
          this.refresh();
        }
      }),
      store.onDidChange(() => { this.refresh(); }),
      sidecars.onDidChangeState(() => { this.refresh(); }),
    ];
  }

  /** Re-reads the writs. */
  refresh(): void {
    this.emitter.fire(undefined);
  }

  async getChildren(node?: WritNode): Promise<WritNode[]> {
    return node === undefined ? listWrits(this.sidecars) : [];
  }

  getTreeItem(node: WritNode): vscode.TreeItem {
    const w = node.writ;
    const text = writLabel(w);
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.description = text.description;
    item.tooltip = safeMarkdown(writTooltipMarkdown(w));
    const expired = isExpired(w, Date.now());
    if (expired) {
      item.description = `expired ${visibleLine(w.expiresAt)} · new proposals refused · grant again to continue`;
    }
    item.iconPath = expired
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(w.state === 'active' ? 'key' : 'circle-slash');
    item.contextValue = w.state === 'active' ? 'openthymos.writ.active' : 'openthymos.writ';
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.emitter.dispose();
  }
}
