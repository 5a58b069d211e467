import * as vscode from 'vscode';
import { ProposalContentProvider } from '../diffView';
import { ProposalStore } from '../proposalStore';
import { resolveFile } from '../targets';
import type { Services } from './services';

/** openthymos.showDiff: opens the file beside its proposed text (read-only). */
export async function showDiff(services: Services, arg?: unknown): Promise<void> {
  const ref = resolveFile(arg, services.store);
  if (ref === undefined) {
    void vscode.window.showInformationMessage('OpenThymos: this file has no pending proposal. Pick a file in the Pending view.');
    return;
  }
  const detail = services.store.get(ref.folderKey, ref.proposalId);
  const file = detail?.files.find((f) => f.path === ref.path);
  const left = file?.effect === 'create'
    ? ProposalContentProvider.uriFor(ref, 'base')
    : ProposalStore.fileUri(ref.folderKey, file?.fromPath ?? ref.path);
  await vscode.commands.executeCommand('vscode.diff', left, ProposalContentProvider.uriFor(ref), `${ref.path} ↔ proposed by ${detail?.proposal.agent ?? 'agent'} (${ref.proposalId})`);
}
