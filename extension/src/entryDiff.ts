// Opens the diff of a commit or revert, rebuilt from ledger blobs: each file as the ledger's commits left it
// just before the entry (seq - 1) against just after it (seq). Both sides are read-only `openthymos-ledger:`
// documents, so the diff is right even when the file has changed or been deleted on disk since.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changesFiles, entryKindStyle } from './entryKinds';
import { LedgerDocumentProvider } from './ledgerDocuments';
import type { EntryTarget } from './ledgerEntries';

/** How to open the diff. */
export interface EntryDiffOptions {
  /** Keep the focus where it is (stepping through a replay). */
  preserveFocus?: boolean;
  /** Open as a preview editor, replaced by the next one (default true). */
  preview?: boolean;
  /** Prefixed to the editor title ("Step 2/5 · "). */
  titlePrefix?: string;
}

/** Opens the entry's diff: one diff editor for one file, the multi-file changes editor for several. Returns false for entries that changed no file. */
export async function openEntryDiff(target: EntryTarget, options: EntryDiffOptions = {}): Promise<boolean> {
  const { folderKey, entry } = target;
  const paths = [...new Set(entry.paths)];
  if (!changesFiles(entry.kind) || paths.length === 0) {
    return false;
  }
  const before = entry.seq - 1;
  const label = `#${String(before)} ↔ #${String(entry.seq)} ${entryKindStyle(entry.kind).label.toLowerCase()} by ${entry.actor}`;
  const sides = paths.map((p) => ({
    path: p,
    left: LedgerDocumentProvider.fileAtSeqUri(folderKey, p, before),
    right: LedgerDocumentProvider.fileAtSeqUri(folderKey, p, entry.seq),
  }));
  const prefix = options.titlePrefix ?? '';
  const showOptions: vscode.TextDocumentShowOptions = { preview: options.preview ?? true, preserveFocus: options.preserveFocus ?? false };
  const [only] = sides;
  if (sides.length === 1 && only !== undefined) {
    await vscode.commands.executeCommand('vscode.diff', only.left, only.right, `${prefix}${path.posix.basename(only.path)} (${label})`, showOptions);
    return true;
  }
  try {
    await vscode.commands.executeCommand('vscode.changes', `${prefix}${String(sides.length)} files (${label})`, sides.map((s) => [s.right, s.left, s.right]));
  } catch {
    // An editor without the multi-file changes editor: one diff per file.
    for (const s of sides) {
      await vscode.commands.executeCommand('vscode.diff', s.left, s.right, `${prefix}${path.posix.basename(s.path)} (${label})`, { ...showOptions, preview: false });
    }
  }
  return true;
}
