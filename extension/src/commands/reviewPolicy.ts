// Review and Adopt Policy Change: shows the policy in force (from the ledger) beside the changed
// .thymos/policy.json, and on confirmation adopts exactly the text shown (policy/adopt with its hash).
import * as vscode from 'vscode';
import { showRequestError } from '../errors';
import { PolicyAdoptRequest, PolicyGetRequest } from '../protocol';
import type { FolderSidecar } from '../sidecar/sidecar';
import { pickSidecar } from './helpers';
import type { Services } from './services';

/** openthymos.reviewPolicy: the diff, then Adopt (a ledgered policy.changed with the reviewer as actor) or nothing. */
export async function reviewPolicy(services: Services, arg?: unknown): Promise<void> {
  const sidecar = arg !== undefined && typeof arg === 'object' && arg !== null && 'folder' in arg
    ? (arg as FolderSidecar)
    : await pickSidecar(services, 'Which workspace folder\'s policy?');
  if (sidecar === undefined) {
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('OpenThymos: this workspace is not trusted, so its policy cannot be adopted here. Trust the workspace first, or run \'thymos policy adopt\' in a terminal.');
    return;
  }
  try {
    const policy = await sidecar.client.sendRequest(PolicyGetRequest);
    if (policy.diskHash == null || policy.diskText == null) {
      const detail = policy.error == null ? 'The policy file on disk is the policy in force; there is nothing to adopt.' : `The policy file on disk does not load: ${policy.error}`;
      void vscode.window.showInformationMessage(`OpenThymos (${sidecar.folder.name}): ${detail}`);
      return;
    }
    // Both sides are the texts the sidecar hashed, not the live file: what is shown is what gets adopted.
    const left = services.documents.putReport('policy in force.json', policy.text);
    const right = services.documents.putReport('policy on disk (not in force).json', policy.diskText);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${sidecar.folder.name}: policy in force ↔ .thymos/policy.json on disk`);
    const adopt = 'Adopt';
    const choice = await vscode.window.showWarningMessage(
      `Adopt the changed policy of ${sidecar.folder.name}? From then on it decides which agent edits are approved automatically. It is recorded in the ledger with you as the one who adopted it (hash ${policy.diskHash.slice(0, 19)}…).`,
      { modal: true },
      adopt,
    );
    if (choice !== adopt) {
      return;
    }
    const adopted = await sidecar.client.sendRequest(PolicyAdoptRequest, { hash: policy.diskHash });
    void vscode.window.showInformationMessage(`OpenThymos (${sidecar.folder.name}): the adopted policy is now in force (${adopted.hash.slice(0, 19)}…).`);
  } catch (error) {
    await showRequestError('Adopting the policy', error);
  }
}
