// What the status bar says about ledger health (no vscode import): "$(verified) ledger verified" or
// "$(error) ledger: N problems", with a per-folder tooltip. Unit-tested by tests/node/ledgerModel.test.mjs.
import type { VerifyResultInfo } from '../protocol';

/** The health of one folder, as the status bar needs it. */
export interface FolderHealthState {
  /** The folder's name. */
  folderName: string;
  /** The last verification, if any finished. */
  result?: VerifyResultInfo;
  /** Why the last verification could not run. */
  error?: string;
}

/** The status bar fragment. */
export interface HealthText {
  /** Appended to the item's text ('' while nothing was verified yet). */
  text: string;
  /** Appended to the tooltip. */
  tooltip: string;
  /** Problems over every folder. */
  problems: number;
}

/** Summarizes every folder's last verification. */
export function healthText(folders: readonly FolderHealthState[]): HealthText {
  const verified = folders.filter((f) => f.result !== undefined);
  if (verified.length === 0) {
    return { text: '', tooltip: '', problems: 0 };
  }
  const problems = verified.reduce((sum, f) => sum + (f.result?.valid === true ? 0 : f.result?.problems.length ?? 0), 0);
  const tooltip = 'Ledger: ' + folders.map((f) => {
    if (f.result === undefined) {
      return `${f.folderName} not verified${f.error === undefined ? '' : ` (${f.error})`}`;
    }
    return f.result.valid
      ? `${f.folderName} verified (${String(f.result.entriesChecked)} entries)`
      : `${f.folderName} ${String(f.result.problems.length)} problem(s): run "OpenThymos: Verify Ledger" for the report`;
  }).join('; ') + '.';
  return {
    text: problems > 0 ? `$(error) ledger: ${String(problems)} problem${problems === 1 ? '' : 's'}` : '$(verified) ledger verified',
    tooltip,
    problems,
  };
}
