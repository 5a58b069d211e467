// Sends approve and reject decisions to the sidecar and reports the outcome.
import * as vscode from 'vscode';
import { ProposalApproveRequest, ProposalRejectRequest } from './protocol';
import type { ProposalStore } from './proposalStore';
import type { SidecarManager } from './sidecarManager';
import { noSidecarMessage } from './sidecarManager';
import { requireTrust, showDecisionOutcome, showRequestError } from './errors';

/** What to decide on. */
export interface Selection {
  folderKey: string;
  proposalId: string;
  files?: string[];
  hunks?: string[];
}

/** Approves or rejects a selection of one proposal. Returns true when the sidecar accepted it. */
export async function decide(sidecars: SidecarManager, store: ProposalStore, kind: 'approve' | 'reject', selection: Selection, what: string): Promise<boolean> {
  if (!requireTrust()) {
    return false;
  }
  const sidecar = sidecars.forFolderKey(selection.folderKey);
  if (sidecar?.state !== 'running') {
    await noSidecarMessage();
    return false;
  }
  const detail = store.get(selection.folderKey, selection.proposalId);
  if (detail === undefined) {
    void vscode.window.showWarningMessage(`${what}: the proposal ${selection.proposalId} is no longer pending. The Pending view shows what is left.`);
    return false;
  }
  const revision = detail.proposal.revision;
  try {
    const result = kind === 'approve'
      ? await sidecar.client.sendRequest(ProposalApproveRequest, { proposalId: selection.proposalId, revision, files: selection.files ?? null, hunks: selection.hunks ?? null })
      : await sidecar.client.sendRequest(ProposalRejectRequest, { proposalId: selection.proposalId, revision, files: selection.files ?? null, hunks: selection.hunks ?? null, reason: 'rejected in VS Code' });
    await showDecisionOutcome(what, result);
    return true;
  } catch (error) {
    await showRequestError(what, error);
    return false;
  }
}
