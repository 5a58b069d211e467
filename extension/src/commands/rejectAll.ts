import * as vscode from 'vscode';
import { decide } from '../decisions';
import { requireTrust } from '../errors';
import type { Services } from './services';

/** openthymos.rejectAll: rejects every pending hunk of every pending proposal, after a confirmation. */
export async function rejectAll(services: Services): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  const proposals = services.store.proposals();
  if (proposals.length === 0) {
    void vscode.window.showInformationMessage('OpenThymos: nothing is pending.');
    return;
  }
  const hunks = services.store.allHunks().length;
  const confirm = await vscode.window.showWarningMessage(`Reject all ${String(hunks)} pending hunk(s) of ${String(proposals.length)} proposal(s)? The agents will be told.`, { modal: true }, 'Reject All');
  if (confirm !== 'Reject All') {
    return;
  }
  for (const { folderKey, detail } of proposals) {
    await decide(services.sidecars, services.store, 'reject', { folderKey, proposalId: detail.proposal.proposalId }, `Rejecting proposal ${detail.proposal.proposalId}`);
  }
}
