// Which folder's sidecar a ledger command works on: the only running one, or the one the user picks.
import * as vscode from 'vscode';
import type { FolderSidecar } from '../sidecar/sidecar';
import { noSidecarMessage } from '../sidecar/sidecarManager';
import type { Services } from './services';

/** The running sidecar to use; undefined when none runs (after a message) or the user cancelled. */
export async function pickSidecar(services: Services, placeHolder = 'Which workspace folder\'s ledger?'): Promise<FolderSidecar | undefined> {
  const running = services.sidecars.all.filter((s) => s.state === 'running');
  if (running.length === 0) {
    await noSidecarMessage();
    return undefined;
  }
  if (running.length === 1) {
    return running[0];
  }
  const pick = await vscode.window.showQuickPick(running.map((s) => ({ label: s.folder.name, description: s.folder.uri.fsPath, sidecar: s })), { placeHolder });
  return pick?.sidecar;
}

/** The running sidecar of a folder key, or undefined after telling the user it is not running. */
export async function runningSidecar(services: Services, folderKey: string): Promise<FolderSidecar | undefined> {
  const sidecar = services.sidecars.forFolderKey(folderKey);
  if (sidecar?.state !== 'running') {
    await noSidecarMessage();
    return undefined;
  }
  return sidecar;
}
