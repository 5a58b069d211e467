// Runs ledger work (verify, replay, drift, export) with a cancellable progress notification fed by
// ledger/didProgress. Cancelling cancels the JSON-RPC request itself. The notification is closed before the
// caller shows its result: work that ends within a moment shows no notification at all, and otherwise the
// result waits until VS Code has taken the notification down (VS Code keeps a progress notification visible
// for at least 800 ms), so a "Verifying…" toast never lingers beside the result.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ErrorCodes } from '../protocol';
import type { FolderSidecar } from '../sidecar/sidecar';
import { errorCode } from '../errors';

/** What a unit of ledger work gets. */
export interface LedgerWork {
  /** Send as `progressToken`; the sidecar echoes it in ledger/didProgress. */
  progressToken: string;
  /** Pass to sendRequest: it cancels the request when the user cancels. */
  cancel: vscode.CancellationToken;
  /** Names the current phase ("Verifying", "Replaying"); shown before the entry counts. */
  phase: (name: string) => void;
}

/** Ends multi-step work between steps once the user cancelled. */
export function throwIfCancelled(cancel: vscode.CancellationToken): void {
  if (cancel.isCancellationRequested) {
    throw new LedgerWorkCancelled();
  }
}

/** Thrown (and recognized by `isCancellation`) when the user cancelled. */
export class LedgerWorkCancelled extends Error {
  constructor() {
    super('Cancelled by the user.');
  }
}

/** How long work may take before a progress notification appears. */
const quietMs = 400;
/** How long VS Code keeps a progress notification at least, plus a margin. */
const notificationMinimumMs = 850;

/** True when the error means the request was cancelled (by the user, or the sidecar saw the cancellation). */
export function isCancellation(error: unknown): boolean {
  const code = errorCode(error);
  return error instanceof LedgerWorkCancelled || code === ErrorCodes.Cancelled || code === -32800;
}

/** Runs `work` for one folder with progress; rejects with LedgerWorkCancelled when the user cancels. */
export async function runLedgerWork<T>(sidecar: FolderSidecar, title: string, work: (context: LedgerWork) => Promise<T>): Promise<T> {
  const cancellation = new vscode.CancellationTokenSource();
  const progressToken = randomUUID();
  let phase = '';
  let message = '';
  let percent = 0;
  let report: ((value: { message: string; increment: number }) => void) | undefined;
  const update = (done?: number, total?: number): void => {
    const nextPercent = done !== undefined && total !== undefined && total > 0 ? Math.min(100, (done / total) * 100) : percent;
    message = `${phase}${done !== undefined && total !== undefined ? ` ${String(done)}/${String(total)} entries` : ''}`.trim();
    report?.({ message, increment: nextPercent - percent });
    percent = nextPercent;
  };
  const subscription = sidecar.onDidProgress((params) => {
    if (params.token === progressToken) {
      update(params.done, params.total);
    }
  });
  const running = work({
    progressToken,
    cancel: cancellation.token,
    phase: (name) => {
      phase = name;
      percent = 0;
      update();
    },
  });
  try {
    const settled = running.then(() => true, () => true);
    const quick = await Promise.race([settled, new Promise<false>((resolve) => setTimeout(() => { resolve(false); }, quietMs))]);
    if (!quick) {
      const shownAt = Date.now();
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, userCancel) => {
        report = (value) => { progress.report(value); };
        progress.report({ message, increment: percent });
        const listener = userCancel.onCancellationRequested(() => { cancellation.cancel(); });
        try {
          await settled;
        } finally {
          listener.dispose();
          report = undefined;
        }
      });
      const remaining = shownAt + notificationMinimumMs - Date.now();
      if (remaining > 0) {
        await new Promise((resolve) => setTimeout(resolve, remaining));
      }
    }
    try {
      return await running;
    } catch (error) {
      throw cancellation.token.isCancellationRequested ? new LedgerWorkCancelled() : error;
    }
  } finally {
    subscription.dispose();
    cancellation.dispose();
  }
}
