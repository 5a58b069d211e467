// Turns failures into messages that say what happened and what to do.
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { Commands } from './constants';
import { ErrorCodes, RuntimeErrorCodes } from './protocol';
import type { DecisionResultInfo } from './protocol';
import { setStatusBarMessage, showError, showInformation, showWarning } from './text/visibleUi';

const runtime = (code: number): number => ErrorCodes.RuntimeErrorBase + code;

/** The wire code of a JSON-RPC error, if it is one. */
export function errorCode(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows an error from a request, with an action that helps. `what` is the action that failed ("Approving the hunk"). */
export async function showRequestError(what: string, error: unknown): Promise<void> {
  const code = errorCode(error);
  const detail = messageOf(error);
  if (code === runtime(RuntimeErrorCodes.RevisionMismatch) || code === runtime(RuntimeErrorCodes.ReviewOutdated)) {
    // The proposal moved on since the reviewer looked: reload it at once so the editor shows what a new decision would cover.
    await vscode.commands.executeCommand(Commands.Refresh);
    void vscode.window.showWarningMessage(
      `${what} refused: the proposal changed after you reviewed it, so nothing was decided or written. The editor and the Pending view now show its current revision; review it again before deciding. (${detail})`);
    return;
  }
  const staleCodes = [runtime(RuntimeErrorCodes.StaleBase), runtime(RuntimeErrorCodes.FileStateMismatch)];
  if (code !== undefined && staleCodes.includes(code)) {
    const choice = await showWarning(
      `${what} failed: the file changed since the proposal; the proposal is stale. Refresh to see its current state, then review it again or reject it. (${detail})`,
      'Refresh',
    );
    if (choice === 'Refresh') {
      await vscode.commands.executeCommand(Commands.Refresh);
    }
    return;
  }
  if (code === runtime(RuntimeErrorCodes.ProposalNotPending) || code === runtime(RuntimeErrorCodes.ProposalNotFound)) {
    const choice = await showWarning(`${what} failed: ${detail} Nothing was written. Refresh the Pending view to see where the proposal stands.`, 'Refresh');
    if (choice === 'Refresh') {
      await vscode.commands.executeCommand(Commands.Refresh);
    }
    return;
  }
  if (code === ErrorCodes.Cancelled) {
    void showInformation(`${what} was cancelled.`);
    return;
  }
  const choice = await showError(`${what} failed: ${detail} See the sidecar log for details.`, 'Show Sidecar Log');
  if (choice === 'Show Sidecar Log') {
    await vscode.commands.executeCommand(Commands.ShowSidecarLog);
  }
}

/** Reports a decision result that did not simply commit or reject. */
export async function showDecisionOutcome(what: string, result: DecisionResultInfo): Promise<void> {
  if (result.outcome === 'committed' || result.outcome === 'rejected') {
    setStatusBarMessage(`OpenThymos: ${what} — ${result.outcome}${result.commitSeq != null ? ` (entry ${String(result.commitSeq)})` : ''}`, 5000);
    return;
  }
  const message = result.message ?? 'no details';
  if (result.outcome === 'stale') {
    await showRequestError(what, new ResponseError(runtime(RuntimeErrorCodes.StaleBase), message));
    return;
  }
  if (result.outcome === 'rebased') {
    void showInformation(`${what}: the proposal was rebased onto the current file (revision ${String(result.revision)}). Review the updated hunks. ${message}`);
    return;
  }
  const choice = await showError(`${what} failed: ${message}`, 'Show Sidecar Log');
  if (choice === 'Show Sidecar Log') {
    await vscode.commands.executeCommand(Commands.ShowSidecarLog);
  }
}

/** Refuses an approval action in an untrusted workspace; returns true when allowed. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) {
    return true;
  }
  void showWarning('OpenThymos: approvals are disabled in an untrusted workspace. Trust the workspace (Workspaces: Manage Workspace Trust) to review proposals.');
  return false;
}
