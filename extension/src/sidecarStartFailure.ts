// What the user is told when a folder's sidecar does not start; pure, so the Node tests can check the wording.
import { ErrorCodes } from './protocol';

/** The notification for a sidecar that did not start, and whether another window holds the folder's ledger. */
export interface StartFailure {
  readonly text: string;
  readonly heldElsewhere: boolean;
}

/**
 * A sidecar that finds the folder's ledger held (usually by another VS Code window on the same folder) answers
 * `initialize` with `LedgerHeld` and a message naming the holder: that message is shown as it is. Any other failure
 * is shown with the error and a pointer to the sidecar log.
 */
export function startFailure(folderName: string, error: unknown): StartFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isLedgerHeld(error)) {
    return { text: `OpenThymos is not running for '${folderName}' in this window. ${message}`, heldElsewhere: true };
  }
  return { text: `The OpenThymos sidecar for '${folderName}' did not start: ${message}. Check the sidecar log.`, heldElsewhere: false };
}

/** True for the sidecar's `LedgerHeld` answer to `initialize` (another process holds the folder's ledger). */
export function isLedgerHeld(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === ErrorCodes.LedgerHeld;
}
