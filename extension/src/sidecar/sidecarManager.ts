// Starts, restarts and stops one sidecar per workspace folder that opted in (see optIn.ts); watches the other
// folders for `.thymos/` appearing (an agent ran `thymos`) and starts their sidecar then.
import * as vscode from 'vscode';
import { affectsAutoStart, affectsSidecar, readConfig } from '../config';
import { FolderSidecar, locateSidecar } from './sidecar';
import { Commands, ContextKeys, SidecarChannelName } from '../constants';
import { startsOnOpen, ThymosFolderName } from './optIn';
import { showError, showWarning } from '../text/visibleUi';

/** How long `.thymos/` must stay quiet after it appears before the folder's sidecar starts. */
const MarkerSettleMilliseconds = 1500;
/**
 * How often a folder that has not opted in is also checked for `.thymos/` directly. A file watcher starts
 * asynchronously and gives no sign when it is live, so a marker created in its first moments (or on a file
 * system whose events never arrive) would otherwise go unnoticed; one stat every few seconds closes that gap.
 */
const MarkerPollMilliseconds = 3000;

/** The sidecars of the open workspace folders. */
export class SidecarManager implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly sidecars = new Map<string, FolderSidecar>();
  private readonly perFolder = new Map<string, vscode.Disposable[]>();
  /** Folders without a sidecar because they have not opted in, each with a watcher for its `.thymos/`. */
  private readonly notEnabled = new Map<string, { folder: vscode.WorkspaceFolder; watcher: vscode.Disposable }>();
  private readonly addedEmitter = new vscode.EventEmitter<FolderSidecar>();
  private readonly removedEmitter = new vscode.EventEmitter<FolderSidecar>();
  private readonly stateEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: { dispose(): unknown }[] = [];
  /** Fires when a folder's sidecar is created (before it starts). */
  readonly onDidAdd = this.addedEmitter.event;
  /** Fires when a folder's sidecar is removed. */
  readonly onDidRemove = this.removedEmitter.event;
  /** Fires when any sidecar's state changes. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly extensionPath: string) {
    this.output = vscode.window.createOutputChannel(SidecarChannelName, { log: true });
    this.disposables.push(
      this.output,
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) {
          void this.remove(folder);
        }
        for (const folder of event.added) {
          void this.open(folder);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSidecar(event)) {
          void this.restartAll();
        }
        if (affectsAutoStart(event)) {
          void Promise.all(this.notEnabledFolders.map((folder) => this.open(folder)));
        }
      }),
    );
  }

  /** The open folders that have not opted in (no `.thymos/`, no sidecar). */
  get notEnabledFolders(): vscode.WorkspaceFolder[] {
    return [...this.notEnabled.values()].map((entry) => entry.folder);
  }

  /** Opts a folder in: starts its sidecar, which creates `.thymos/` with the ledger. */
  async enable(folder: vscode.WorkspaceFolder): Promise<void> {
    this.forgetNotEnabled(folder.uri.toString());
    await this.add(folder);
  }

  /** Every sidecar. */
  get all(): FolderSidecar[] {
    return [...this.sidecars.values()];
  }

  /** The sidecar governing a file, if any. */
  forUri(uri: vscode.Uri): FolderSidecar | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder === undefined ? undefined : this.sidecars.get(folder.uri.toString());
  }

  /** The sidecar of a folder by its URI string. */
  forFolderKey(key: string): FolderSidecar | undefined {
    return this.sidecars.get(key);
  }

  /** Starts a sidecar for every open folder that opted in; watches the others. */
  async startAll(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((folder) => this.open(folder)));
    this.updateContext();
  }

  /** A folder was opened: start its sidecar when it opted in, else wait for its `.thymos/` to appear. */
  private async open(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    if (folder.uri.scheme !== 'file' || this.sidecars.has(key)) {
      return;
    }
    if (startsOnOpen(folder.uri.fsPath, readConfig(folder).autoStart)) {
      await this.enable(folder);
      return;
    }
    if (!this.notEnabled.has(key)) {
      this.output.appendLine(`[${folder.name}] OpenThymos is not enabled in this folder (no ${ThymosFolderName}/); run "OpenThymos: Enable in This Folder" to start its sidecar.`);
      // The marker itself, or the ledger inside it, appearing means an agent (thymos, thymos mcp) opted the folder in.
      // The `thymos` run that creates it holds the ledger's writer lock while it works, and a sidecar started in
      // that moment would be refused; so start once nothing new has appeared there for a moment.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `{${ThymosFolderName},${ThymosFolderName}/*}`), false, true, true);
      let settle: NodeJS.Timeout | undefined;
      const noticed = (): void => {
        clearTimeout(settle);
        settle = setTimeout(() => {
          settle = undefined;
          if (this.notEnabled.has(key) && startsOnOpen(folder.uri.fsPath, false)) {
            this.output.appendLine(`[${folder.name}] ${ThymosFolderName}/ appeared: starting the sidecar.`);
            void this.enable(folder);
          }
        }, MarkerSettleMilliseconds);
      };
      watcher.onDidCreate(noticed);
      const poll = setInterval(() => {
        if (settle === undefined && startsOnOpen(folder.uri.fsPath, false)) {
          noticed();
        }
      }, MarkerPollMilliseconds);
      this.notEnabled.set(key, { folder, watcher: new vscode.Disposable(() => { clearTimeout(settle); clearInterval(poll); watcher.dispose(); }) });
      this.stateEmitter.fire();
      this.updateContext();
    }
  }

  private forgetNotEnabled(key: string): void {
    const entry = this.notEnabled.get(key);
    if (entry !== undefined) {
      entry.watcher.dispose();
      this.notEnabled.delete(key);
      this.stateEmitter.fire();
      this.updateContext();
    }
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.Enabled, this.sidecars.size > 0);
    void vscode.commands.executeCommand('setContext', ContextKeys.FolderNotEnabled, this.notEnabled.size > 0);
  }

  /** Restarts every sidecar (after a settings change or on Refresh when one is down). */
  async restartAll(): Promise<void> {
    const folders = this.all.map((s) => s.folder);
    await Promise.all(folders.map((folder) => this.remove(folder)));
    await Promise.all(folders.map((folder) => this.add(folder)));
  }

  /** Starts the sidecars that are stopped or failed. */
  async startStopped(): Promise<void> {
    const down = this.all.filter((s) => s.state === 'stopped' || s.state === 'failed' || s.state === 'elsewhere').map((s) => s.folder);
    await Promise.all(down.map(async (folder) => {
      await this.remove(folder);
      await this.add(folder);
    }));
  }

  private async add(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    if (folder.uri.scheme !== 'file' || this.sidecars.has(key)) {
      return;
    }
    const located = locateSidecar(this.extensionPath, readConfig(folder).sidecarPath);
    if (typeof located === 'string') {
      this.output.appendLine(located);
      const choice = await showError(`OpenThymos: ${located}`, 'Open Settings');
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'openthymos.sidecarPath');
      }
      return;
    }
    this.output.appendLine(`[${folder.name}] starting the ${located.source} sidecar: ${located.command}`);
    const sidecar = new FolderSidecar(folder, located, this.output);
    this.sidecars.set(key, sidecar);
    this.perFolder.set(key, [sidecar.onDidChangeState(() => { this.stateEmitter.fire(); })]);
    this.addedEmitter.fire(sidecar);
    this.updateContext();
    await sidecar.start();
  }

  private async remove(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    this.forgetNotEnabled(key);
    const sidecar = this.sidecars.get(key);
    if (sidecar === undefined) {
      return;
    }
    this.sidecars.delete(key);
    for (const d of this.perFolder.get(key) ?? []) {
      d.dispose();
    }
    this.perFolder.delete(key);
    this.removedEmitter.fire(sidecar);
    await sidecar.stop();
    sidecar.dispose();
    this.stateEmitter.fire();
    this.updateContext();
  }

  /** Stops every sidecar (deactivation). */
  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((s) => s.stop()));
  }

  /** Shows the output channel. */
  showLog(): void {
    this.output.show(true);
  }

  dispose(): void {
    for (const sidecar of this.sidecars.values()) {
      sidecar.dispose();
    }
    this.sidecars.clear();
    for (const entry of this.notEnabled.values()) {
      entry.watcher.dispose();
    }
    this.notEnabled.clear();
    for (const list of this.perFolder.values()) {
      for (const d of list) {
        d.dispose();
      }
    }
    for (const d of this.disposables) {
      d.dispose();
    }
    this.addedEmitter.dispose();
    this.removedEmitter.dispose();
    this.stateEmitter.dispose();
  }
}

/** Used by commands to explain that nothing is running. */
export async function noSidecarMessage(): Promise<void> {
  const choice = await showWarning('OpenThymos: no sidecar is running for this workspace folder. If OpenThymos is not enabled here, run "OpenThymos: Enable in This Folder"; otherwise check the sidecar log, or run "OpenThymos: Refresh" to start it again.', 'Enable in This Folder', 'Show Sidecar Log');
  if (choice === 'Enable in This Folder') {
    await vscode.commands.executeCommand(Commands.EnableInFolder);
  } else if (choice === 'Show Sidecar Log') {
    await vscode.commands.executeCommand(Commands.ShowSidecarLog);
  }
}
