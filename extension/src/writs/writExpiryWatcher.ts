// Tells the reviewer, once, when an agent's writ expires: what happened, what it means for the agent's pending
// proposals, and an action to grant access again. The decision of what is news lives in writExpiry.ts.
import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { listWrits } from './agentsView';
import type { ProposalStore } from '../review/proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { expiryMessage, newlyExpired, nextExpiryIn } from './writExpiry';
import { showWarning } from '../text/visibleUi';

/** Watches the writs of every running sidecar for expiries. */
export class WritExpiryWatcher implements vscode.Disposable {
  private readonly seen = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking = false;
  private checkAgain = false;
  private disposed = false;

  constructor(private readonly sidecars: SidecarManager, store: ProposalStore) {
    this.subscriptions = [
      sidecars.onDidChangeState(() => { void this.check(); }),
      store.onDidAppend(({ entry }) => {
        if (entry.kind.toLowerCase().includes('writ')) {
          void this.check();
        }
      }),
    ];
    void this.check();
  }

  /** Lists the writs, announces new expiries and schedules the next look for the next expiry. */
  async check(): Promise<void> {
    if (this.disposed) {
      return;
    }
    if (this.checking) {
      this.checkAgain = true; // something changed while listing: look once more when this look ends
      return;
    }
    this.checking = true;
    try {
      const nodes = await listWrits(this.sidecars);
      const now = Date.now();
      for (const writ of newlyExpired(nodes.map((n) => n.writ), this.seen, now)) {
        const node = nodes.find((n) => n.writ.writId === writ.writId);
        const folderName = node === undefined ? 'this folder' : this.sidecars.forFolderKey(node.folderKey)?.folder.name ?? 'this folder';
        void this.announce(expiryMessage(writ, folderName), node?.writ.agent, node?.writ.include, node?.writ.effects);
      }
      this.schedule(nextExpiryIn(nodes.map((n) => n.writ), now));
    } finally {
      this.checking = false;
    }
    if (this.checkAgain) {
      this.checkAgain = false;
      await this.check();
    }
  }

  private async announce(message: string, agent?: string, include?: string[], effects?: string[]): Promise<void> {
    const choice = await showWarning(message, 'Grant Access Again…', 'Show Agents');
    if (choice === 'Grant Access Again…') {
      await vscode.commands.executeCommand(Commands.GrantAgentAccess, { agent, include, effects });
    } else if (choice === 'Show Agents') {
      await vscode.commands.executeCommand(`${Views.Agents}.focus`);
    }
  }

  private schedule(delayMs: number | undefined): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // setTimeout's limit is about 24.8 days; a later expiry is looked at again then.
    if (delayMs !== undefined && !this.disposed) {
      this.timer = setTimeout(() => { void this.check(); }, Math.min(delayMs, 2_147_000_000));
    }
  }

  dispose(): void {
    this.disposed = true;
    this.schedule(undefined);
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
