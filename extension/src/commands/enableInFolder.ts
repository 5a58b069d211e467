import * as vscode from 'vscode';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/**
 * openthymos.enableInFolder: opts a folder in by starting its sidecar (which creates `.thymos/` with the ledger).
 * The folder is the one of the given resource (explorer context), else the only one not yet enabled, else picked.
 */
export async function enableInFolder(services: Services, arg?: unknown): Promise<void> {
  const candidates = services.sidecars.notEnabledFolders;
  if (candidates.length === 0) {
    const message = (vscode.workspace.workspaceFolders ?? []).length === 0
      ? 'OpenThymos: no folder is open. Open a folder (File > Open Folder), then run "OpenThymos: Enable in This Folder".'
      : 'OpenThymos is already enabled in every folder of this workspace.';
    void showInformation(message);
    return;
  }
  let folder: vscode.WorkspaceFolder | undefined;
  if (arg instanceof vscode.Uri) {
    const owner = vscode.workspace.getWorkspaceFolder(arg);
    folder = candidates.find((f) => f.uri.toString() === owner?.uri.toString());
  }
  if (folder === undefined && candidates.length === 1) {
    folder = candidates[0];
  }
  if (folder === undefined) {
    const picked = await vscode.window.showQuickPick(
      candidates.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
      { title: 'OpenThymos: Enable in Folder', placeHolder: 'The folder whose agent edits OpenThymos should govern' },
    );
    folder = picked?.folder;
  }
  if (folder !== undefined) {
    await services.sidecars.enable(folder);
  }
}
