// Opens the diff of a commit or revert, rebuilt from ledger blobs: the entry's payload names each file's
// content hash before and after it (ledger/getEntry), and both sides are read-only `openthymos-ledger:`
// documents holding those blobs (ledger/getBlob). So the diff shows exactly what the entry changed, even when
// the file has changed or been deleted on disk since, and even for the first commit of a file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changesFiles, entryKindStyle } from '../entryKinds';
import { fileChangesOf } from './fileChanges';
import type { FileChange } from './fileChanges';
import { LedgerDocumentProvider } from './ledgerDocuments';
import type { EntryTarget } from './ledgerEntries';
import { LedgerGetEntryRequest } from '../protocol';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { visibleLine } from '../text/visibleText';

/** How to open the diff. */
export interface EntryDiffOptions {
  /** Keep the focus where it is. */
  preserveFocus?: boolean;
  /** Open as a preview editor, replaced by the next one (default true). */
  preview?: boolean;
  /** Prefixed to the editor title ("Replay 2/5 · "). */
  titlePrefix?: string;
  /** Distinguishes these documents from the same diff opened elsewhere (VS Code reuses an open diff of the same documents, title included). */
  tag?: string;
}

/** The changed files of an entry: from its payload, else (an unexpected payload) the paths it names, at seq - 1 and seq. */
async function changesOf(sidecars: SidecarManager, target: EntryTarget, tag: string): Promise<{ change: FileChange; left: vscode.Uri; right: vscode.Uri }[]> {
  const { folderKey, entry } = target;
  const sidecar = sidecars.forFolderKey(folderKey);
  const detail = sidecar?.state === 'running' ? await sidecar.client.sendRequest(LedgerGetEntryRequest, { seq: entry.seq }) : undefined;
  const changes = fileChangesOf(detail?.payload);
  if (changes !== undefined && changes.length > 0) {
    return changes.map((change) => ({
      change,
      left: LedgerDocumentProvider.blobUri(folderKey, change.path, entry.seq, 'before', change.before, tag),
      right: LedgerDocumentProvider.blobUri(folderKey, change.path, entry.seq, 'after', change.after, tag),
    }));
  }
  return [...new Set(entry.paths)].map((p) => ({
    change: { path: p, before: null, after: null },
    left: LedgerDocumentProvider.fileAtSeqUri(folderKey, p, entry.seq - 1),
    right: LedgerDocumentProvider.fileAtSeqUri(folderKey, p, entry.seq),
  }));
}

/** Opens the entry's diff: one diff editor for one file, the multi-file changes editor for several. Returns false for entries that changed no file. */
export async function openEntryDiff(sidecars: SidecarManager, target: EntryTarget, options: EntryDiffOptions = {}): Promise<boolean> {
  const { entry } = target;
  if (!changesFiles(entry.kind)) {
    return false;
  }
  const sides = await changesOf(sidecars, target, options.tag ?? '');
  if (sides.length === 0) {
    return false;
  }
  const label = `#${String(entry.seq)} ${entryKindStyle(entry.kind).label.toLowerCase()} by ${visibleLine(entry.actor)}`;
  const prefix = options.titlePrefix ?? '';
  const showOptions: vscode.TextDocumentShowOptions = { preview: options.preview ?? true, preserveFocus: options.preserveFocus ?? false };
  const title = (p: string, change: FileChange): string =>
    `${prefix}${visibleLine(path.posix.basename(p))} (${change.before === null && change.after !== null ? 'created, ' : change.after === null && change.before !== null ? 'deleted, ' : ''}${label})`;
  const [only] = sides;
  if (sides.length === 1 && only !== undefined) {
    await vscode.commands.executeCommand('vscode.diff', only.left, only.right, title(only.change.path, only.change), showOptions);
    return true;
  }
  try {
    await vscode.commands.executeCommand('vscode.changes', `${prefix}${String(sides.length)} files (${label})`, sides.map((s) => [s.right, s.left, s.right]));
  } catch {
    // An editor without the multi-file changes editor: one diff per file.
    for (const s of sides) {
      await vscode.commands.executeCommand('vscode.diff', s.left, s.right, title(s.change.path, s.change), { ...showOptions, preview: false });
    }
  }
  return true;
}
