// Helpers the command functions share: which folder's sidecar a command works on, what a command acts on (a
// pending file or hunk, a timeline entry) with the message that says how to pick one, the bulk decisions behind
// Approve All and Reject All, and how ledger work's errors are reported. Commands import these from here, never
// from a sibling command.
import * as vscode from 'vscode';
import { requireTrust, showRequestError } from '../errors';
import { isCancellation } from '../ledger/ledgerProgress';
import { asEntryTarget } from '../ledger/ledgerEntries';
import type { EntryTarget } from '../ledger/ledgerEntries';
import { confirmHiddenCharacters, decide } from '../review/decisions';
import { resolveFile, resolveHunk } from '../review/targets';
import type { FileRef, HunkRef } from '../review/targets';
import type { FolderSidecar } from '../sidecar/sidecar';
import { noSidecarMessage } from '../sidecar/sidecarManager';
import { markedHunks } from '../text/reviewText';
import { showInformation, showWarning } from '../text/visibleUi';
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

/** The pending file a file command acts on; without one, tells the user how to pick one. */
export function requireFile(services: Services, arg: unknown): FileRef | undefined {
  const ref = resolveFile(arg, services.store);
  if (ref === undefined) {
    void showInformation('OpenThymos: this file has no pending proposal. Pick a file in the Pending view.');
  }
  return ref;
}

/** The pending hunk a hunk command acts on (tree item, CodeLens, or the hunk at the cursor); without one, says how to pick one. */
export function requireHunk(services: Services, arg: unknown): HunkRef | undefined {
  const ref = resolveHunk(arg, services.store);
  if (ref === undefined) {
    void showInformation('OpenThymos: no pending hunk here. Open a file with pending hunks or pick one in the Pending view.');
  }
  return ref;
}

/** The entry a timeline action acts on; without one, tells the user how to pick one. */
export function requireEntry(arg: unknown, action: string): EntryTarget | undefined {
  const target = asEntryTarget(arg);
  if (target === undefined) {
    void showInformation(`OpenThymos: ${action} acts on an entry of the Ledger Timeline; right-click an entry there.`);
  }
  return target;
}

/** Reports an error of ledger work: a cancellation as information, anything else with the sidecar log. */
export async function showLedgerWorkError(what: string, error: unknown): Promise<void> {
  if (isCancellation(error)) {
    void showInformation(`OpenThymos: ${what} was cancelled; nothing was changed.`);
    return;
  }
  await showRequestError(what, error);
}

/** Wording of the bulk decisions: what the confirmation says and what its button is called. */
const bulk = {
  approve: { verb: 'Approve', button: 'Approve All', consequence: 'They will be written to the workspace.', progress: 'Approving' },
  reject: { verb: 'Reject', button: 'Reject All', consequence: 'The agents will be told.', progress: 'Rejecting' },
} as const;

/** Approves or rejects every pending hunk of every pending proposal, after a modal confirmation. */
export async function decideAll(services: Services, verb: 'approve' | 'reject'): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  const proposals = services.store.proposals();
  if (proposals.length === 0) {
    void showInformation('OpenThymos: nothing is pending.');
    return;
  }
  const wording = bulk[verb];
  const hunks = services.store.allHunks().length;
  const confirm = await showWarning(
    `${wording.verb} all ${String(hunks)} pending hunk(s) of ${String(proposals.length)} proposal(s)? ${wording.consequence}`,
    { modal: true },
    wording.button,
  );
  if (confirm !== wording.button) {
    return;
  }
  const hiddenCharactersConfirmed = verb === 'approve' && await confirmHiddenCharacters(proposals.flatMap(({ detail }) => markedHunks(detail.files)));
  if (verb === 'approve' && !hiddenCharactersConfirmed) {
    return;
  }
  for (const { folderKey, detail } of proposals) {
    await decide(services, verb, { folderKey, proposalId: detail.proposal.proposalId, revision: detail.proposal.revision }, `${wording.progress} proposal ${detail.proposal.proposalId}`, { hiddenCharactersConfirmed });
  }
}
