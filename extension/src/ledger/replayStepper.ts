// Step Through Replay: walks the ledger's commits and reverts oldest first, showing each as a diff rebuilt
// from the ledger. Next, Previous and Stop are commands (editor title buttons and a status bar item while
// stepping; the context key openthymos.replayStepping enables them).
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants';
import { openEntryDiff } from './entryDiff';
import { entryKindStyle } from '../entryKinds';
import { showRequestError } from '../errors';
import type { EntryTarget } from './ledgerEntries';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { showInformation } from '../text/visibleUi';

/** The state of one walk. */
export class ReplayStepper implements vscode.Disposable {
  private steps: EntryTarget[] = [];
  private index = -1;
  private folderName = '';
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly sidecars: SidecarManager) {
    this.item = vscode.window.createStatusBarItem('openthymos.replayStep', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'OpenThymos Replay Step';
    this.item.command = Commands.ReplayStepNext;
  }

  /** True while a walk is in progress. */
  get active(): boolean {
    return this.index >= 0;
  }

  /** Starts a walk at `startIndex` (the steps are oldest first). */
  async start(folderName: string, steps: EntryTarget[], startIndex = 0): Promise<void> {
    this.folderName = folderName;
    this.steps = steps;
    this.index = Math.max(0, Math.min(startIndex, steps.length - 1));
    await vscode.commands.executeCommand('setContext', ContextKeys.ReplayStepping, true);
    await this.show();
  }

  /** Shows the next commit; at the end, says so. */
  async next(): Promise<void> {
    if (!this.active) {
      return;
    }
    if (this.index >= this.steps.length - 1) {
      void showInformation(`OpenThymos: that was the last commit of ${this.folderName} (${String(this.steps.length)} in all). Stop the replay, or go back with Previous.`);
      return;
    }
    this.index++;
    await this.show();
  }

  /** Shows the previous commit. */
  async previous(): Promise<void> {
    if (!this.active) {
      return;
    }
    if (this.index === 0) {
      void showInformation(`OpenThymos: this is the first commit of ${this.folderName}.`);
      return;
    }
    this.index--;
    await this.show();
  }

  /** Ends the walk. */
  async stop(): Promise<void> {
    this.steps = [];
    this.index = -1;
    this.item.hide();
    await vscode.commands.executeCommand('setContext', ContextKeys.ReplayStepping, false);
  }

  private async show(): Promise<void> {
    const step = this.steps[this.index];
    if (step === undefined) {
      return;
    }
    const position = `${String(this.index + 1)}/${String(this.steps.length)}`;
    this.item.text = `$(debug-step-over) Replay ${position}: #${String(step.entry.seq)} ${entryKindStyle(step.entry.kind).label}`;
    this.item.tooltip = `Stepping through the ledger of ${this.folderName}: ${step.entry.summary}. Click for the next commit; use the editor title buttons for Previous and Stop.`;
    this.item.show();
    try {
      await openEntryDiff(this.sidecars, step, { titlePrefix: `Replay ${position} · `, preview: true, tag: 'replay' });
    } catch (error) {
      await showRequestError(`Showing entry #${String(step.entry.seq)}`, error);
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
