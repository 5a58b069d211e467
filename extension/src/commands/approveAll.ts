import * as vscode from 'vscode';
import { decide } from '../decisions';
import { requireTrust } from '../errors';
import type { Services } from './services';

/** openthymos.approveAll: approves every pending hunk of every pending proposal, after a confirmation. */
export async function approveAll(services: Services): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  const proposals = services.store.proposals();
  if (proposals.length === 0) {
    void vscode.window.showInformationMessage('OpenThymos: nothing is pending.');
    return;
  }
  const hunks = services.store.allHunks().length;
  const confirm = await vscode.window.showWarningMessage(`Approve all ${String(hunks)} pending hunk(s) of ${String(proposals.length)} proposal(s)? They will be written to the workspace.`, { modal: true }, 'Approve All');
  if (confirm !== 'Approve All') {
    return;
  }
  for (const { folderKey, detail } of proposals) {
    await decide(services.sidecars, services.store, 'approve', { folderKey, proposalId: detail.proposal.proposalId }, `Approving proposal ${detail.proposal.proposalId}`);
  }
}
