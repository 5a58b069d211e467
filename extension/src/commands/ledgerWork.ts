import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { showRequestError } from '../errors';
import { LedgerGetDriftRequest, LedgerReplayRequest, LedgerVerifyRequest } from '../protocol';
import type { FolderSidecar } from '../sidecar';
import { noSidecarMessage } from '../sidecarManager';
import { ProposalStore } from '../proposalStore';
import type { Services } from './services';

async function pickSidecar(services: Services): Promise<FolderSidecar | undefined> {
  const running = services.sidecars.all.filter((s) => s.state === 'running');
  if (running.length === 0) {
    await noSidecarMessage();
    return undefined;
  }
  if (running.length === 1) {
    return running[0];
  }
  const pick = await vscode.window.showQuickPick(running.map((s) => ({ label: s.folder.name, sidecar: s })), { placeHolder: 'Which workspace folder?' });
  return pick?.sidecar;
}

/** Runs ledger work with a cancellable progress notification fed by ledger/didProgress. */
async function withLedgerProgress<T>(sidecar: FolderSidecar, title: string, work: (token: string, cancel: vscode.CancellationToken) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const token = randomUUID();
    let reported = 0;
    const subscription = sidecar.onDidProgress((params) => {
      if (params.token !== token || params.total <= 0) {
        return;
      }
      const percent = Math.min(100, (params.done / params.total) * 100);
      progress.report({ increment: percent - reported, message: `${String(params.done)}/${String(params.total)} entries` });
      reported = percent;
    });
    try {
      return await work(token, cancel);
    } finally {
      subscription.dispose();
    }
  });
}

async function showReport(title: string, lines: string[]): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: [`# ${title}`, '', ...lines].join('\n') });
  await vscode.window.showTextDocument(document, { preview: true });
}

/** openthymos.verifyLedger: ledger/verify with progress; shows every problem. */
export async function verifyLedger(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const result = await withLedgerProgress(sidecar, `Verifying the OpenThymos ledger of ${sidecar.folder.name}`, (progressToken, cancel) =>
      sidecar.client.sendRequest(LedgerVerifyRequest, { progressToken }, cancel));
    const summary = `${String(result.entriesChecked)} entries and ${String(result.blobsChecked)} blobs checked${result.anchorChecked ? ', head anchor compared' : ''}`;
    if (result.valid) {
      void vscode.window.showInformationMessage(`OpenThymos: the ledger of ${sidecar.folder.name} is intact (${summary}).`);
      return;
    }
    const choice = await vscode.window.showErrorMessage(`OpenThymos: the ledger of ${sidecar.folder.name} has ${String(result.problems.length)} problem(s) (${summary}). Do not approve anything until you know why.`, 'Show Problems');
    if (choice === 'Show Problems') {
      await showReport(`Ledger problems in ${sidecar.folder.name}`, result.problems.map((p) => `- ${p.seq == null ? 'ledger' : `entry #${String(p.seq)}`} \`${p.code}\`: ${p.message}`));
    }
  } catch (error) {
    await showRequestError('Verifying the ledger', error);
  }
}

/** openthymos.replayLedger: ledger/replay to the head (or a seq the user enters) and shows the world. */
export async function replayLedger(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  const input = await vscode.window.showInputBox({
    title: 'Replay the ledger',
    prompt: 'Fold the ledger up to this entry seq (empty = the head)',
    validateInput: (value) => value.trim() === '' || /^\d+$/u.test(value.trim()) ? undefined : 'Enter a whole number, or leave empty for the head.',
  });
  if (input === undefined) {
    return;
  }
  try {
    const toSeq = input.trim() === '' ? null : Number(input.trim());
    const result = await withLedgerProgress(sidecar, `Replaying the OpenThymos ledger of ${sidecar.folder.name}`, (progressToken, cancel) =>
      sidecar.client.sendRequest(LedgerReplayRequest, { progressToken, toSeq }, cancel));
    await showReport(`World of ${sidecar.folder.name} at entry #${String(result.seq)}`, result.files.map((f) => `- \`${f.path}\` ${f.hash ?? '(deleted)'}`));
  } catch (error) {
    await showRequestError('Replaying the ledger', error);
  }
}

/** openthymos.showDrift: files that differ from what the ledger says. */
export async function showDrift(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const result = await withLedgerProgress(sidecar, `Checking ${sidecar.folder.name} for drift`, (progressToken, cancel) =>
      sidecar.client.sendRequest(LedgerGetDriftRequest, { progressToken }, cancel));
    if (result.items.length === 0) {
      void vscode.window.showInformationMessage(`OpenThymos: no drift in ${sidecar.folder.name}; every file matches the ledger at entry #${String(result.seq)}.`);
      return;
    }
    const pick = await vscode.window.showQuickPick(
      result.items.map((item) => ({ label: item.path, description: item.kind, detail: `last set by entry #${String(item.lastEntrySeq)}`, item })),
      { placeHolder: `${String(result.items.length)} file(s) changed outside the ledger; pick one to open it` },
    );
    if (pick !== undefined && pick.item.kind !== 'missing') {
      await vscode.window.showTextDocument(ProposalStore.fileUri(sidecar.folder.uri.toString(), pick.item.path));
    }
  } catch (error) {
    await showRequestError('Checking for drift', error);
  }
}
