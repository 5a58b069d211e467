// Sends approve and reject decisions to the sidecar and reports the outcome.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { EditTracker } from './editTracker';
import { conflictingHunks } from './hunkPlacement';
import { ProposalApproveRequest, ProposalRejectRequest } from '../protocol';
import { approveParams, rejectParams } from './reviewPin';
import type { ProposalStore } from './proposalStore';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { noSidecarMessage } from '../sidecar/sidecarManager';
import { requireTrust, showDecisionOutcome, showRequestError } from '../errors';
import { setStatusBarMessage, showWarning } from '../text/visibleUi';
import { bulkHiddenCharactersConfirmation, markedHunks } from '../text/reviewText';
import type { MarkedHunk } from '../text/reviewText';

/** What a decision needs. */
export interface DecisionServices {
  sidecars: SidecarManager;
  store: ProposalStore;
  edits: EditTracker;
}

/** What to decide on. */
export interface Selection {
  folderKey: string;
  proposalId: string;
  files?: string[];
  hunks?: string[];
  /** The revision the command's target (CodeLens, tree item) was drawn from; absent: the one the editor shows now. */
  revision?: number;
}

/** How a decision was asked for. */
export interface DecisionOptions {
  /** The reviewer already confirmed approving hunks with hidden characters (Approve All asks once for every proposal). */
  hiddenCharactersConfirmed?: boolean;
}

/** Approves or rejects a selection of one proposal. Returns true when the sidecar accepted it. */
export async function decide({ sidecars, store, edits }: DecisionServices, kind: 'approve' | 'reject', selection: Selection, what: string, options: DecisionOptions = {}): Promise<boolean> {
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
    void showWarning(`${what}: the proposal ${selection.proposalId} is no longer pending. The Pending view shows what is left.`);
    return false;
  }
  if (detail.proposal.status === 'stale') {
    return await refuseStale(detail.proposal.proposalId, selection, detail.proposal.reason ?? '', kind, store, what);
  }
  if (kind === 'approve') {
    const conflicts = [...conflictingHunks(store, edits, vscode.workspace.textDocuments, selection.folderKey, selection.proposalId)]
      .filter((key) => selection.hunks !== undefined ? selection.hunks.includes(key) : selection.files !== undefined ? selection.files.some((f) => key.startsWith(`${f}#`)) : true);
    if (conflicts.length > 0) {
      void showWarning(
        `${what} refused: you edited lines of ${conflicts.join(', ')} in the editor after the agent proposed them, so approving would overwrite your edit. Nothing was written. Undo your edit to review the hunk again, save it (the proposal then becomes stale), or reject the hunk.`);
      return false;
    }
  }
  if (kind === 'approve' && selection.hunks === undefined && options.hiddenCharactersConfirmed !== true
    && !await confirmHiddenCharacters(markedHunks(detail.files, selection.files))) {
    return false;
  }
  // The decision names the revision and hunk digests the editor showed; the sidecar refuses it if the proposal moved on.
  try {
    const result = kind === 'approve'
      ? await sidecar.client.sendRequest(ProposalApproveRequest, approveParams(detail, selection))
      : await sidecar.client.sendRequest(ProposalRejectRequest, rejectParams(detail, selection, 'rejected in VS Code'));
    await showDecisionOutcome(what, result);
    return true;
  } catch (error) {
    await showRequestError(what, error);
    return false;
  }
}

/** Approving in bulk (a file, a proposal, everything) hunks that hold hidden characters needs one explicit confirmation naming them. */
export async function confirmHiddenCharacters(marked: readonly MarkedHunk[]): Promise<boolean> {
  if (marked.length === 0) {
    return true;
  }
  const { message, detail } = bulkHiddenCharactersConfirmation(marked);
  const button = 'Approve Anyway';
  return await showWarning(message, { modal: true, detail }, button) === button;
}

/** A stale proposal is never applied: approving says why; rejecting removes it from the Pending view (the runtime already refused it). */
async function refuseStale(proposalId: string, selection: Selection, reason: string, kind: 'approve' | 'reject', store: ProposalStore, what: string): Promise<boolean> {
  if (kind === 'reject') {
    await store.dismissStale(selection.folderKey, proposalId);
    setStatusBarMessage(`OpenThymos: stale proposal ${proposalId} removed from Pending (the runtime had already refused it; nothing was written).`, 8000);
    return true;
  }
  const choice = await showWarning(
    `${what} refused: proposal ${proposalId} is stale — its file changed on disk in the lines it edits after the agent proposed it, so it can no longer be applied. Nothing was written. Compare with Show Diff, then reject it and ask the agent to propose again. (${reason})`,
    'Show Diff', 'Reject');
  if (choice === 'Show Diff') {
    await vscode.commands.executeCommand(Commands.ShowDiff, { folderKey: selection.folderKey, proposalId, path: selection.files?.[0] ?? selection.hunks?.[0]?.replace(/#[^#]*$/u, '') ?? '' });
  } else if (choice === 'Reject') {
    await store.dismissStale(selection.folderKey, proposalId);
  }
  return false;
}
