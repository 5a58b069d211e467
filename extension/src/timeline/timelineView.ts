// The Ledger Timeline view: ledger entries newest first, an icon per kind, filtered by agent, file and kind,
// paged with "Load more…", grouped by folder when several folders are open. New entries (ledger/didAppend)
// are merged in at the top. Selecting a commit or revert opens its diff rebuilt from the ledger; other
// entries open their details.
import * as vscode from 'vscode';
import { Commands, ContextKeys, Views } from '../constants';
import { changesFiles, entryKindStyle } from '../entryKinds';
import { formatAge } from '../review/model';
import { LedgerListEntriesRequest } from '../protocol';
import type { EntrySummary } from '../protocol';
import type { ProposalStore } from '../review/proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { describeFilter, isFilterEmpty, listParams } from './timelineFilter';
import type { TimelineFilter } from './timelineFilter';
import { appendOlderPage, mergeNewestPage } from './timelinePaging';
import type { LoadedEntries } from './timelinePaging';
import { timelineEntryText } from '../text/reviewText';
import { safeMarkdown } from '../text/visibleUi';

/** A node of the Ledger Timeline. */
export type TimelineNode =
  | { kind: 'folder'; folderKey: string; folderName: string }
  | { kind: 'entry'; folderKey: string; entry: EntrySummary }
  | { kind: 'more'; folderKey: string }
  | { kind: 'message'; folderKey: string; text: string };

/** Entries per page. */
export const timelinePageSize = 100;

/** A short list of the paths an entry names ("app.txt", "a.ts, b.ts +3"). */
export function pathsLabel(paths: readonly string[]): string {
  const unique = [...new Set(paths)];
  return unique.length <= 2 ? unique.join(', ') : `${unique.slice(0, 2).join(', ')} +${String(unique.length - 2)}`;
}

/** The tree data of the Ledger Timeline view; owns the view itself (title, description, message). */
export class TimelineTreeProvider implements vscode.TreeDataProvider<TimelineNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<TimelineNode>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly loaded = new Map<string, LoadedEntries>();
  private readonly newerAvailable = new Set<string>();
  private filterValue: TimelineFilter = {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sidecars: SidecarManager, store: ProposalStore) {
    this.view = vscode.window.createTreeView(Views.Timeline, { treeDataProvider: this });
    this.subscriptions = [
      store.onDidAppend(({ folderKey }) => {
        this.newerAvailable.add(folderKey);
        this.fireSoon();
      }),
      sidecars.onDidChangeState(() => {
        // A restarted sidecar may have recovered entries; read each folder again.
        this.loaded.clear();
        this.fireSoon();
      }),
    ];
    this.showFilter();
  }

  /** The filter in force. */
  get filter(): TimelineFilter {
    return this.filterValue;
  }

  /** Replaces the filter and reads every folder again under it. */
  setFilter(filter: TimelineFilter): void {
    this.filterValue = filter;
    this.loaded.clear();
    this.showFilter();
    this.emitter.fire(undefined);
  }

  /** Every entry loaded so far, per folder key (for pickers that offer what the view shows). */
  loadedEntries(): { folderKey: string; entry: EntrySummary }[] {
    return [...this.loaded.entries()].flatMap(([folderKey, l]) => l.entries.map((entry) => ({ folderKey, entry })));
  }

  /** Reads every folder again (Refresh). */
  refreshSoon(): void {
    this.loaded.clear();
    this.fireSoon();
  }

  /** Loads the next older page of a folder. */
  async loadMore(folderKey: string): Promise<void> {
    const sidecar = this.sidecars.forFolderKey(folderKey);
    const loaded = this.loaded.get(folderKey);
    if (sidecar?.state !== 'running' || loaded?.nextBeforeSeq == null) {
      return;
    }
    const page = await sidecar.client.sendRequest(LedgerListEntriesRequest, listParams(this.filterValue, loaded.nextBeforeSeq, timelinePageSize));
    this.loaded.set(folderKey, appendOlderPage(loaded, page));
    this.emitter.fire(undefined);
  }

  async getChildren(node?: TimelineNode): Promise<TimelineNode[]> {
    if (node === undefined) {
      const all = this.sidecars.all;
      if (all.length > 1) {
        return all.map((s): TimelineNode => ({ kind: 'folder', folderKey: s.folder.uri.toString(), folderName: s.folder.name }));
      }
      const only = all[0];
      return only === undefined ? [] : this.entriesOf(only.folder.uri.toString());
    }
    return node.kind === 'folder' ? this.entriesOf(node.folderKey) : [];
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folderName, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder|${node.folderKey}`;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.contextValue = 'openthymos.timelineFolder';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more|${node.folderKey}|${String(this.loaded.get(node.folderKey)?.nextBeforeSeq ?? '')}`;
        item.iconPath = new vscode.ThemeIcon('fold-down');
        item.tooltip = `Load the next ${String(timelinePageSize)} older entries`;
        item.command = { command: Commands.LoadMoreEntries, title: 'Load more…', arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'entry':
        return this.entryItem(node);
    }
  }

  private entryItem(node: TimelineNode & { kind: 'entry' }): vscode.TreeItem {
    const { entry } = node;
    const style = entryKindStyle(entry.kind);
    const fileChange = changesFiles(entry.kind);
    const text = timelineEntryText(entry, style.label, fileChange, formatAge(entry.time), pathsLabel(entry.paths));
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = `entry|${node.folderKey}|${String(entry.seq)}`;
    item.description = text.description;
    item.iconPath = new vscode.ThemeIcon(style.icon, style.color === undefined ? undefined : new vscode.ThemeColor(style.color));
    item.tooltip = safeMarkdown(text.tooltip);
    item.contextValue = fileChange ? 'openthymos.entry.fileChange' : 'openthymos.entry';
    item.command = fileChange
      ? { command: Commands.OpenEntryDiff, title: 'Open Commit Diff', arguments: [node] }
      : { command: Commands.ShowEntryDetails, title: 'Show Entry Details', arguments: [node] };
    return item;
  }

  private async entriesOf(folderKey: string): Promise<TimelineNode[]> {
    const sidecar = this.sidecars.forFolderKey(folderKey);
    if (sidecar?.state !== 'running') {
      return [{ kind: 'message', folderKey, text: `The sidecar is ${sidecar?.state ?? 'not running'}; the timeline appears when it runs.` }];
    }
    let loaded = this.loaded.get(folderKey);
    try {
      if (loaded === undefined || this.newerAvailable.has(folderKey)) {
        this.newerAvailable.delete(folderKey);
        const page = await sidecar.client.sendRequest(LedgerListEntriesRequest, listParams(this.filterValue, null, timelinePageSize));
        loaded = loaded === undefined ? { entries: page.entries, nextBeforeSeq: page.nextBeforeSeq ?? null } : mergeNewestPage(loaded, page, timelinePageSize);
        this.loaded.set(folderKey, loaded);
      }
    } catch (error) {
      return [{ kind: 'message', folderKey, text: `Reading the ledger failed: ${error instanceof Error ? error.message : String(error)}. Run "OpenThymos: Refresh".` }];
    }
    const nodes: TimelineNode[] = loaded.entries.map((entry) => ({ kind: 'entry', folderKey, entry }));
    if (loaded.nextBeforeSeq != null) {
      nodes.push({ kind: 'more', folderKey });
    }
    if (nodes.length === 0) {
      nodes.push({ kind: 'message', folderKey, text: isFilterEmpty(this.filterValue) ? 'The ledger has no entries yet.' : 'No entries match the filter.' });
    }
    return nodes;
  }

  private showFilter(): void {
    const text = describeFilter(this.filterValue);
    this.view.description = text === '' ? undefined : `filtered: ${text}`;
    this.view.message = text === '' ? undefined : `Showing only ${text}. Clear the filter from the view's title bar.`;
    void vscode.commands.executeCommand('setContext', ContextKeys.TimelineFiltered, text !== '');
  }

  private fireSoon(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    // Bursts of appends refresh once.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(undefined);
    }, 250);
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.view.dispose();
    this.emitter.dispose();
  }
}
