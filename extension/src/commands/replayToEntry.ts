// Replay to Entry… and Replay to Here: rebuild the world at an entry (ledger/replay with toSeq) and open the
// files as they were then, as read-only documents.
import * as vscode from 'vscode';
import { LedgerDocumentProvider } from '../ledger/ledgerDocuments';
import { entryPickItem, readAllEntries } from '../ledger/ledgerEntries';
import type { EntryTarget } from '../ledger/ledgerEntries';
import { runLedgerWork } from '../ledger/ledgerProgress';
import { LedgerReplayRequest } from '../protocol';
import type { FolderSidecar } from '../sidecar/sidecar';
import { pickSidecar, requireEntry, runningSidecar, showLedgerWorkError } from './helpers';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** Replays to the entry, then lets the user pick files of that world to open read-only. */
async function replayTo(sidecar: FolderSidecar, target: EntryTarget): Promise<void> {
  const seq = target.entry.seq;
  try {
    const world = await runLedgerWork(sidecar, `Replaying ${sidecar.folder.name} to entry #${String(seq)}`, ({ progressToken, cancel, phase }) => {
      phase('Replaying');
      return sidecar.client.sendRequest(LedgerReplayRequest, { progressToken, toSeq: seq }, cancel);
    });
    const live = world.files.filter((f) => f.hash != null);
    if (live.length === 0) {
      void showInformation(`OpenThymos: at entry #${String(world.seq)} the ledger had not committed any file yet in ${sidecar.folder.name}.`);
      return;
    }
    // One Enter opens a file; with several files, the first item opens them all.
    const fileItems = live.map((f) => ({ label: `$(file) ${f.path}`, description: `hash ${(f.hash ?? '').slice(0, 12)}`, paths: [f.path] }));
    const items = live.length > 1 ? [{ label: `$(files) Open all ${String(live.length)} files`, description: '', paths: live.map((f) => f.path) }, ...fileItems] : fileItems;
    const pick = await vscode.window.showQuickPick(items, {
      title: `${sidecar.folder.name} as it was at entry #${String(world.seq)} (${String(live.length)} file(s) the ledger knows)`,
      placeHolder: 'Pick a file to open read-only, as it was then',
      matchOnDescription: true,
    });
    for (const [index, path] of (pick?.paths ?? []).entries()) {
      const document = await vscode.workspace.openTextDocument(LedgerDocumentProvider.fileAtSeqUri(target.folderKey, path, world.seq));
      await vscode.window.showTextDocument(document, { preview: false, preserveFocus: index > 0 });
    }
  } catch (error) {
    await showLedgerWorkError(`Replaying to entry #${String(seq)}`, error);
  }
}

/** openthymos.replayToEntry: pick an entry, then open files as they were at it. */
export async function replayToEntry(services: Services, arg?: unknown): Promise<void> {
  if (arg !== undefined) {
    await replayToHere(services, arg);
    return;
  }
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const { entries } = await readAllEntries(sidecar);
    const pick = await vscode.window.showQuickPick(entries.map(entryPickItem), {
      title: `Replay ${sidecar.folder.name} to an entry`,
      placeHolder: 'Pick the point in time (newest first); type to search by kind, actor, file or summary',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (pick !== undefined) {
      await replayTo(sidecar, { folderKey: sidecar.folder.uri.toString(), entry: pick.entry });
    }
  } catch (error) {
    await showLedgerWorkError('Reading the ledger entries', error);
  }
}

/** openthymos.replayToHere: the timeline entry's context action. */
export async function replayToHere(services: Services, arg?: unknown): Promise<void> {
  const target = requireEntry(arg, 'Replay to Here');
  if (target === undefined) {
    return;
  }
  const sidecar = await runningSidecar(services, target.folderKey);
  if (sidecar !== undefined) {
    await replayTo(sidecar, target);
  }
}
