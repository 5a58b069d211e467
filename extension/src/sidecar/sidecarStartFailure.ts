// What the user is told when a folder's sidecar does not start; pure, so the Node tests can check the wording.
import { ErrorCodes } from '../protocol';
import type { StartRefusedData } from '../protocol';

/** The notification for a sidecar that did not start, and what the window does about it. */
export interface StartFailure {
  readonly text: string;
  /** Another process (usually another window's sidecar) holds the folder's ledger: a warning, and the status bar says so. */
  readonly heldElsewhere: boolean;
  /** The sidecar refused the folder on purpose (any of the start refusals): restarting it would only be refused again. */
  readonly refused: boolean;
  /** The shell command the sidecar's message tells the user to run, to offer to copy; undefined when there is none. */
  readonly command: string | undefined;
}

/** The error codes with which a sidecar refuses to serve its folder in answer to `initialize`. */
const startRefusalCodes: readonly number[] = [ErrorCodes.LedgerHeld, ErrorCodes.LedgerRolledBack, ErrorCodes.WorkspaceCopied];

/**
 * A sidecar that cannot serve its folder answers `initialize` with a start refusal whose message says what happened
 * and what to do: the ledger is held by another process (`LedgerHeld`, usually another VS Code window on the same
 * folder), the ledger is behind the head recorded outside the workspace (`LedgerRolledBack`), or the folder is a copy
 * of another workspace (`WorkspaceCopied`). That message is shown as it is, with the command it names (from the
 * error's data) offered to copy. Any other failure is shown with the error and a pointer to the sidecar log.
 */
export function startFailure(folderName: string, error: unknown): StartFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isLedgerHeld(error)) {
    return { text: `OpenThymos is not running for '${folderName}' in this window. ${message}`, heldElsewhere: true, refused: true, command: undefined };
  }
  if (isStartRefused(error)) {
    return { text: `OpenThymos did not start for '${folderName}': ${message}`, heldElsewhere: false, refused: true, command: refusalData(error)?.command ?? undefined };
  }
  return { text: `The OpenThymos sidecar for '${folderName}' did not start: ${message}. Check the sidecar log.`, heldElsewhere: false, refused: false, command: undefined };
}

/** True for the sidecar's `LedgerHeld` answer to `initialize` (another process holds the folder's ledger). */
export function isLedgerHeld(error: unknown): boolean {
  return errorCode(error) === ErrorCodes.LedgerHeld;
}

/** True for any start refusal in answer to `initialize` (`LedgerHeld`, `LedgerRolledBack`, `WorkspaceCopied`). */
export function isStartRefused(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && startRefusalCodes.includes(code);
}

function errorCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number' ? error.code : undefined;
}

function refusalData(error: unknown): StartRefusedData | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) {
    return undefined;
  }
  const data = error.data;
  if (typeof data !== 'object' || data === null || !('folder' in data) || typeof data.folder !== 'string') {
    return undefined;
  }
  const command = 'command' in data && typeof data.command === 'string' && data.command !== '' ? data.command : null;
  return { folder: data.folder, command };
}
