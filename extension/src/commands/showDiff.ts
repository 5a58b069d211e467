import * as vscode from 'vscode';
import { ProposalFileSystem } from '../review/diffView';
import { proposedLineOf } from '../review/model';
import { ProposalStore } from '../review/proposalStore';
import type { FileRef } from '../review/targets';
import { requireFile, requireHunk } from './helpers';
import type { Services } from './services';
import { diffTitle } from '../text/reviewText';

/** openthymos.showDiff: opens the file beside the proposal's text (editable while pending: saving records an amendment). */
export async function showDiff(services: Services, arg?: unknown): Promise<void> {
  const ref = requireFile(services, arg);
  if (ref === undefined) {
    return;
  }
  await openProposalDiff(services, ref);
}

/** openthymos.editProposal: opens the diff with the cursor in the hunk on the proposal's side, ready to edit. */
export async function editProposal(services: Services, arg?: unknown): Promise<void> {
  const ref = requireHunk(services, arg);
  if (ref === undefined) {
    return;
  }
  const right = await openProposalDiff(services, ref);
  const file = services.store.get(ref.folderKey, ref.proposalId)?.files.find((f) => f.path === ref.path);
  const hunk = file?.hunks.find((h) => h.id === ref.hunkId);
  if (file === undefined || hunk === undefined) {
    return;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === right.toString())
    ?? await vscode.window.showTextDocument(right, { preview: false });
  const line = Math.min(proposedLineOf(hunk, file.hunks), Math.max(0, editor.document.lineCount - 1));
  const end = Math.min(line + Math.max(0, hunk.added.length - 1), Math.max(0, editor.document.lineCount - 1));
  editor.selection = new vscode.Selection(line, 0, line, 0);
  editor.revealRange(new vscode.Range(line, 0, end, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Opens VS Code's diff editor: left the file on disk, right the proposal's text. Returns the right side's URI. */
async function openProposalDiff(services: Services, ref: FileRef): Promise<vscode.Uri> {
  const detail = services.store.get(ref.folderKey, ref.proposalId);
  const file = detail?.files.find((f) => f.path === ref.path);
  const left = file?.effect === 'create'
    ? ProposalFileSystem.uriFor(ref, 'base')
    : ProposalStore.fileUri(ref.folderKey, file?.fromPath ?? ref.path);
  const right = ProposalFileSystem.uriFor(ref);
  const state = detail?.proposal.status === 'stale' ? 'stale, not applicable' : 'editable: save to amend';
  await vscode.commands.executeCommand('vscode.diff', left, right, diffTitle([ref.path, ' ↔ proposed by ', detail?.proposal.agent ?? 'agent', ' (', ref.proposalId, `, ${state})`]));
  return right;
}
