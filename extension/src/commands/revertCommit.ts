// Revert Commit…: compensates a commit (or revert) with a revert entry that puts its files back, after a modal
// confirmation. The sidecar refuses when a file changed since; the message says so and what to do.
import * as vscode from 'vscode';
import { EntryKinds } from '../entryKinds';
import { errorCode, requireTrust, showDecisionOutcome, showRequestError } from '../errors';
import { asEntryTarget, entryPickItem, readAllEntries } from '../ledger/ledgerEntries';
import type { EntryTarget } from '../ledger/ledgerEntries';
import { ErrorCodes, LedgerRevertCommitRequest, RuntimeErrorCodes } from '../protocol';
import { pickSidecar, runningSidecar } from './helpers';
import type { Services } from './services';
import { showError, showInformation, showWarning } from '../text/visibleUi';

/** openthymos.revertCommit: the timeline entry given, or a commit the user picks. */
export async function revertCommit(services: Services, arg?: unknown): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  let target = asEntryTarget(arg);
  if (target === undefined) {
    const sidecar = await pickSidecar(services);
    if (sidecar === undefined) {
      return;
    }
    try {
      const { entries } = await readAllEntries(sidecar, [EntryKinds.Commit, EntryKinds.Revert]);
      if (entries.length === 0) {
        void showInformation(`OpenThymos: the ledger of ${sidecar.folder.name} has no commits to revert.`);
        return;
      }
      const pick = await vscode.window.showQuickPick(entries.map(entryPickItem), { title: 'Revert a commit', placeHolder: 'Pick the commit to revert (newest first)', matchOnDescription: true, matchOnDetail: true });
      if (pick === undefined) {
        return;
      }
      target = { folderKey: sidecar.folder.uri.toString(), entry: pick.entry };
    } catch (error) {
      await showRequestError('Reading the commits', error);
      return;
    }
  }
  await revert(services, target);
}

async function revert(services: Services, target: EntryTarget): Promise<void> {
  const { entry } = target;
  const seq = String(entry.seq);
  if (entry.kind !== EntryKinds.Commit && entry.kind !== EntryKinds.Revert) {
    void showWarning(`OpenThymos: entry #${seq} is a ${entry.kind} entry, which changed no file; only commits and reverts can be reverted.`);
    return;
  }
  const sidecar = await runningSidecar(services, target.folderKey);
  if (sidecar === undefined) {
    return;
  }
  const files = entry.paths.length > 0 ? entry.paths.join(', ') : 'its files';
  const confirm = await showWarning(
    `Revert ${entry.kind} #${seq} in ${sidecar.folder.name}?`,
    { modal: true, detail: `This writes ${files} back to how ${entry.paths.length === 1 ? 'it was' : 'they were'} before entry #${seq} and records a revert entry approved by you. The ledger keeps both entries; nothing is erased.` },
    'Revert',
  );
  if (confirm !== 'Revert') {
    return;
  }
  try {
    const result = await sidecar.client.sendRequest(LedgerRevertCommitRequest, { seq: entry.seq, reason: `Reverted from the Ledger Timeline in VS Code.` });
    await showDecisionOutcome(`Reverting #${seq}`, result);
    if (result.outcome === 'committed') {
      void showInformation(`OpenThymos: reverted #${seq}; ${files} restored (revert entry #${String(result.commitSeq ?? '?')}).`);
    }
  } catch (error) {
    const code = errorCode(error);
    const detail = error instanceof Error ? error.message : String(error);
    if (code === ErrorCodes.RuntimeErrorBase + RuntimeErrorCodes.RevertConflict) {
      void showError(`OpenThymos refused to revert #${seq}: ${files} changed since that commit, and a revert never overwrites newer work. Nothing was written. Revert the later commits first, or undo the change by hand. (${detail})`);
      return;
    }
    if (code === ErrorCodes.RuntimeErrorBase + RuntimeErrorCodes.CommitNotFound) {
      void showError(`OpenThymos refused to revert #${seq}: the ledger has no commit or revert with that seq. Refresh the Ledger Timeline. (${detail})`);
      return;
    }
    await showRequestError(`Reverting #${seq}`, error);
  }
}
