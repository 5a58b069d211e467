// Reading entries for the ledger commands: every entry (paged), and the entry a command was given
// (a Ledger Timeline node) or the one the user picks.
import type * as vscode from 'vscode';
import { entryKindStyle } from '../entryKinds';
import { formatAge } from '../review/model';
import { LedgerListEntriesRequest } from '../protocol';
import type { EntrySummary, ListEntriesResult } from '../protocol';
import type { FolderSidecar } from '../sidecar/sidecar';
import { entryPickText } from '../text/reviewText';

/** An entry and the folder whose ledger holds it. */
export interface EntryTarget {
  folderKey: string;
  entry: EntrySummary;
}

/** The entry of a Ledger Timeline node (or anything shaped like one). */
export function asEntryTarget(value: unknown): EntryTarget | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const entry = record.entry as Record<string, unknown> | undefined;
  if (typeof record.folderKey === 'string' && typeof entry === 'object' && typeof entry.seq === 'number' && typeof entry.kind === 'string') {
    return { folderKey: record.folderKey, entry: entry as unknown as EntrySummary };
  }
  return undefined;
}

/** Reads every entry of the given kinds (all kinds when empty), newest first, page by page. */
export async function readAllEntries(sidecar: FolderSidecar, kinds: string[] = [], token?: vscode.CancellationToken): Promise<{ entries: EntrySummary[]; headSeq: number }> {
  const entries: EntrySummary[] = [];
  let beforeSeq: number | null = null;
  let headSeq = 0;
  for (;;) {
    const page: ListEntriesResult = await sidecar.client.sendRequest(LedgerListEntriesRequest, { beforeSeq, limit: 1000, kinds: kinds.length > 0 ? kinds : null }, token);
    headSeq = Math.max(headSeq, page.headSeq);
    entries.push(...page.entries);
    if (page.nextBeforeSeq == null || token?.isCancellationRequested === true) {
      return { entries, headSeq };
    }
    beforeSeq = page.nextBeforeSeq;
  }
}

/** A QuickPick item for an entry. */
export function entryPickItem(entry: EntrySummary): vscode.QuickPickItem & { entry: EntrySummary } {
  const style = entryKindStyle(entry.kind);
  return { ...entryPickText(entry, style.icon, style.label, formatAge(entry.time)), entry };
}
