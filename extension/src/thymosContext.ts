// The one object that owns everything the extension creates.
import * as vscode from 'vscode';
import { AgentsTreeProvider } from './writs/agentsView';
import { ReviewCodeLensProvider } from './review/codeLens';
import { registerCommands } from './commands/index';
import { LedgerScheme, ProposalScheme, Views } from './constants';
import { ProposalFileSystem } from './review/diffView';
import { EditTracker } from './review/editTracker';
import { HunkDecorations } from './review/hunkDecorations';
import { LedgerDocumentProvider } from './ledger/ledgerDocuments';
import { LedgerHealth } from './ledger/ledgerHealth';
import { PendingTreeProvider } from './review/pendingView';
import { ProposalStore } from './review/proposalStore';
import { ReplayStepper } from './ledger/replayStepper';
import { SidecarManager } from './sidecar/sidecarManager';
import { StatusBar } from './review/statusBar';
import { TimelineTreeProvider } from './timeline/timelineView';
import { WritExpiryWatcher } from './writs/writExpiryWatcher';
import { PolicyWatcher } from './policy/policyWatcher';

/** Owns every disposable of the extension. */
export class ThymosContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly sidecars: SidecarManager;

  constructor(extension: vscode.ExtensionContext) {
    this.sidecars = this.own(new SidecarManager(extension.extensionPath));
    const store = this.own(new ProposalStore(this.sidecars, this.sidecars.output, extension.workspaceState));
    const edits = this.own(new EditTracker());
    const pending = this.own(new PendingTreeProvider(store, edits));
    const timeline = this.own(new TimelineTreeProvider(this.sidecars, store));
    const agents = this.own(new AgentsTreeProvider(this.sidecars, store));
    const proposalFiles = this.own(new ProposalFileSystem(store, this.sidecars));
    const lenses = this.own(new ReviewCodeLensProvider(store, edits));
    const documents = this.own(new LedgerDocumentProvider(this.sidecars));
    const health = this.own(new LedgerHealth(this.sidecars, store, documents));
    const stepper = this.own(new ReplayStepper(this.sidecars));
    this.own(new StatusBar(this.sidecars, store, health));
    this.own(new HunkDecorations(store, edits, extension.extensionUri));
    const pendingView = this.own(vscode.window.createTreeView(Views.Pending, { treeDataProvider: pending, showCollapseAll: true }));
    const updatePendingView = (): void => {
      const count = store.allHunks().length;
      pendingView.badge = count === 0 ? undefined : { value: count, tooltip: `${String(count)} pending hunk(s)` };
      pendingView.message = vscode.workspace.isTrusted ? undefined : 'Untrusted workspace: review is read-only.';
    };
    updatePendingView();
    store.onDidChange(updatePendingView, undefined, this.disposables);
    this.own(vscode.window.createTreeView(Views.Agents, { treeDataProvider: agents }));
    this.own(new WritExpiryWatcher(this.sidecars, store));
    this.own(new PolicyWatcher(this.sidecars));
    this.own(vscode.workspace.registerFileSystemProvider(ProposalScheme, proposalFiles, { isCaseSensitive: true }));
    this.own(vscode.workspace.registerTextDocumentContentProvider(LedgerScheme, documents));
    this.own(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses));
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      updatePendingView();
      void store.reloadAll();
    }));
    for (const d of registerCommands({ sidecars: this.sidecars, store, timeline, agents, edits, documents, health, stepper })) {
      this.own(d);
    }
  }

  private own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Starts the sidecars. */
  async start(): Promise<void> {
    await this.sidecars.startAll();
  }

  /** Stops the sidecars cleanly (shutdown, exit). */
  async stop(): Promise<void> {
    await this.sidecars.stopAll();
  }

  dispose(): void {
    for (const d of [...this.disposables].reverse()) {
      d.dispose();
    }
    this.disposables.length = 0;
  }
}
