// The status bar item: "OpenThymos: N pending" plus the sidecar state and the ledger health; a click opens
// the Pending view.
import * as vscode from 'vscode';
import { Commands, FocusPendingCommand } from '../constants';
import type { LedgerHealth } from '../ledger/ledgerHealth';
import { healthText } from '../ledger/ledgerHealthText';
import type { ProposalStore } from './proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';

/** Keeps the status bar item current. */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sidecars: SidecarManager, private readonly store: ProposalStore, private readonly health?: LedgerHealth) {
    this.item = vscode.window.createStatusBarItem('openthymos.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'OpenThymos';
    this.item.command = FocusPendingCommand;
    this.subscriptions = [store.onDidChange(() => { this.update(); }), sidecars.onDidChangeState(() => { this.update(); })];
    if (health !== undefined) {
      this.subscriptions.push(health.onDidChange(() => { this.update(); }));
    }
    this.update();
    this.item.show();
  }

  /** Recomputes the text. */
  update(): void {
    const pending = this.store.allHunks().length;
    const states = this.sidecars.all.map((s) => s.state);
    let icon = '$(shield)';
    let state = '';
    this.item.backgroundColor = undefined;
    this.item.command = FocusPendingCommand;
    const notEnabled = this.sidecars.notEnabledFolders.map((f) => f.name);
    if (states.length === 0 && notEnabled.length > 0) {
      this.item.text = '$(circle-slash) OpenThymos: not enabled';
      this.item.tooltip = `OpenThymos is not enabled in ${notEnabled.map((n) => `'${n}'`).join(', ')} (no .thymos/ folder). Click to enable it: a sidecar starts and keeps the ledger in .thymos/.`;
      this.item.command = Commands.EnableInFolder;
      return;
    }
    if (states.length === 0) {
      state = ' (no sidecar)';
      icon = '$(circle-slash)';
    } else if (states.includes('failed') || states.includes('stopped')) {
      state = ' (sidecar stopped)';
      icon = '$(error)';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (states.includes('elsewhere')) {
      state = ' (open in another window)';
      icon = '$(window)';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (states.includes('restarting')) {
      state = ' (sidecar restarting)';
      icon = '$(sync~spin)';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (states.includes('starting')) {
      state = ' (starting)';
      icon = '$(sync~spin)';
    }
    const ledger = healthText(this.health?.all ?? []);
    if (ledger.problems > 0) {
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
    if (states.every((s) => s === 'elsewhere')) {
      // No folder is governed from this window, so there is no pending count to show here.
      this.item.text = `${icon} OpenThymos: open in another window`;
      this.item.tooltip = `Another process (usually another window's sidecar) holds the ledger of ${this.sidecars.all.map((s) => `'${s.folder.name}'`).join(', ')}. Use that window, or close it and run "OpenThymos: Refresh" here.`;
      return;
    }
    this.item.text = `${icon} OpenThymos: ${String(pending)} pending${state}${ledger.text === '' ? '' : ` · ${ledger.text}`}`;
    this.item.tooltip = `${String(pending)} pending hunk(s). Sidecars: ${this.sidecars.all.map((s) => `${s.folder.name} ${s.state}`).join(', ') || 'none'}.${notEnabled.length === 0 ? '' : ` Not enabled: ${notEnabled.join(', ')}.`}${ledger.tooltip === '' ? '' : ` ${ledger.tooltip}`} Click to open the Pending view.`;
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.item.dispose();
  }
}
