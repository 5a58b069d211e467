// Ledger health per workspace folder: the last ledger/verify result. Verification runs when a sidecar becomes
// ready and again shortly after appends, plus whenever a command verifies; the status bar shows the result and
// a failed verification raises one notification (per new problem count) with "Show Report".
import * as vscode from 'vscode';
import type { LedgerDocumentProvider } from './ledgerDocuments';
import type { FolderHealthState } from './ledgerHealthText';
import { verifyReportMarkdown, verifySummary } from './ledgerReports';
import { LedgerVerifyRequest } from '../protocol';
import type { VerifyResultInfo } from '../protocol';
import type { ProposalStore } from '../review/proposalStore';
import type { FolderSidecar } from '../sidecar/sidecar';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { showError } from '../text/visibleUi';


/** How long to wait after an append before verifying again, so a burst of appends verifies once. */
const reverifyDelayMs = 2000;

/** Tracks and refreshes the ledger health of every folder. */
export class LedgerHealth implements vscode.Disposable {
  private readonly health = new Map<string, FolderHealthState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly notifiedProblems = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when any folder's health changes. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly sidecars: SidecarManager, store: ProposalStore, private readonly documents: LedgerDocumentProvider) {
    this.disposables.push(
      sidecars.onDidAdd((sidecar) => {
        this.disposables.push(sidecar.onDidBecomeReady(() => { this.verifySoon(sidecar, 0); }));
      }),
      sidecars.onDidRemove((sidecar) => {
        const key = sidecar.folder.uri.toString();
        this.health.delete(key);
        this.notifiedProblems.delete(key);
        this.emitter.fire();
      }),
      store.onDidAppend(({ folderKey }) => {
        const sidecar = sidecars.forFolderKey(folderKey);
        if (sidecar !== undefined) {
          this.verifySoon(sidecar, reverifyDelayMs);
        }
      }),
    );
  }

  /** Every folder with a known state. */
  get all(): FolderHealthState[] {
    return [...this.health.values()];
  }

  /**
   * Records a verification result (from the background or a command). With `notify`, a new problem count raises
   * the error notification; commands that show the result themselves pass false.
   */
  record(sidecar: FolderSidecar, result: VerifyResultInfo, notify = true): void {
    const key = sidecar.folder.uri.toString();
    this.health.set(key, { folderName: sidecar.folder.name, result });
    this.emitter.fire();
    const problems = result.valid ? 0 : result.problems.length;
    const notified = this.notifiedProblems.get(key) ?? 0;
    this.notifiedProblems.set(key, problems);
    if (notify && problems > 0 && problems !== notified) {
      void this.notifyProblems(sidecar, result);
    }
  }

  /** The error notification of a failed verification, with "Show Report". */
  async notifyProblems(sidecar: FolderSidecar, result: VerifyResultInfo): Promise<void> {
    const choice = await showError(
      `OpenThymos: the ledger of ${sidecar.folder.name} failed verification — ${verifySummary(result)}. The record may have been changed outside OpenThymos; do not approve anything until you know why.`,
      'Show Report',
    );
    if (choice === 'Show Report') {
      await this.documents.showReport(`Ledger verification - ${sidecar.folder.name}.md`, verifyReportMarkdown(sidecar.folder.name, result, new Date()));
    }
  }

  private verifySoon(sidecar: FolderSidecar, delayMs: number): void {
    const key = sidecar.folder.uri.toString();
    const pending = this.timers.get(key);
    if (pending !== undefined) {
      clearTimeout(pending);
    }
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.verifyInBackground(sidecar);
    }, delayMs));
  }

  private async verifyInBackground(sidecar: FolderSidecar): Promise<void> {
    if (sidecar.state !== 'running' || this.sidecars.forFolderKey(sidecar.folder.uri.toString()) !== sidecar) {
      return;
    }
    try {
      this.record(sidecar, await sidecar.client.sendRequest(LedgerVerifyRequest, {}));
    } catch (error) {
      // A sidecar going down is shown by the status bar's sidecar state; keep the reason for the tooltip.
      const key = sidecar.folder.uri.toString();
      this.health.set(key, { ...this.health.get(key), folderName: sidecar.folder.name, error: error instanceof Error ? error.message : String(error) });
      this.emitter.fire();
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    for (const d of this.disposables) {
      d.dispose();
    }
    this.emitter.dispose();
  }
}
