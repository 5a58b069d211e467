// Tells the reviewer when a folder's .thymos/policy.json differs from the policy in force: the file changed on
// disk (by an agent's shell, an editor, a pull) and governs nothing until a human reviews and adopts it.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { PolicyGetRequest } from '../protocol';
import type { FolderSidecar } from '../sidecar/sidecar';
import type { SidecarManager } from '../sidecar/sidecarManager';

/** Watches each running folder's policy file and announces each changed text once. */
export class PolicyWatcher implements vscode.Disposable {
  /** The disk hash last announced, per folder, so one change is announced once. */
  private readonly announced = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sidecars: SidecarManager) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.thymos/policy.json');
    this.subscriptions.push(
      watcher,
      watcher.onDidChange((uri) => { this.checkFolderOf(uri); }),
      watcher.onDidCreate((uri) => { this.checkFolderOf(uri); }),
      watcher.onDidDelete((uri) => { this.checkFolderOf(uri); }),
      sidecars.onDidChangeState(() => {
        for (const sidecar of sidecars.all.filter((s) => s.state === 'running')) {
          void this.check(sidecar);
        }
      }),
    );
  }

  private checkFolderOf(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const sidecar = this.sidecars.all.find((s) => s.folder.uri.toString() === folder?.uri.toString());
    if (sidecar?.state === 'running') {
      void this.check(sidecar);
    }
  }

  /** Asks the sidecar what governs and, when the file on disk differs and this text was not announced yet, says so. */
  async check(sidecar: FolderSidecar): Promise<void> {
    let diskHash: string | null | undefined;
    try {
      diskHash = (await sidecar.client.sendRequest(PolicyGetRequest)).diskHash;
    } catch {
      return; // the sidecar is restarting; its next state change checks again
    }
    const key = sidecar.folder.uri.toString();
    if (diskHash == null) {
      this.announced.delete(key);
      return;
    }
    if (this.announced.get(key) === diskHash) {
      return;
    }
    this.announced.set(key, diskHash);
    const review = 'Review and Adopt…';
    const choice = await vscode.window.showWarningMessage(
      `OpenThymos (${sidecar.folder.name}): the policy file changed on disk — it is not in force. The policy recorded in the ledger still decides until you review the change and adopt it.`,
      review,
    );
    if (choice === review) {
      await vscode.commands.executeCommand(Commands.ReviewPolicy, sidecar);
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) {
      d.dispose();
    }
  }
}
