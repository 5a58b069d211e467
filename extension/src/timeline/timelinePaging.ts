// How the Ledger Timeline keeps its pages (no vscode import): older pages are appended with "Load more…",
// and new entries (ledger/didAppend) are merged in at the top without throwing the loaded pages away.
// Unit-tested by tests/node/ledgerModel.test.mjs.
import type { EntrySummary, ListEntriesResult } from '../protocol';

/** The entries of one folder loaded so far, newest first. */
export interface LoadedEntries {
  /** Entries, newest first, no duplicates. */
  entries: EntrySummary[];
  /** Pass as `beforeSeq` to load the next older page; null when everything is loaded. */
  nextBeforeSeq: number | null;
}

/** Nothing loaded yet. */
export const noEntries: LoadedEntries = { entries: [], nextBeforeSeq: null };

/** Adds an older page (the answer to `beforeSeq = loaded.nextBeforeSeq`) below what is loaded. */
export function appendOlderPage(loaded: LoadedEntries, page: ListEntriesResult): LoadedEntries {
  const oldest = loaded.entries[loaded.entries.length - 1]?.seq ?? Number.POSITIVE_INFINITY;
  return {
    entries: [...loaded.entries, ...page.entries.filter((e) => e.seq < oldest)],
    nextBeforeSeq: page.nextBeforeSeq ?? null,
  };
}

/**
 * Merges a fresh first page (newest entries) into what is loaded. When the fresh page is full and holds only
 * entries newer than the loaded ones, entries may be missing between the two, so the fresh page replaces
 * everything (the user can load more again); otherwise the new entries go on top and older pages stay.
 */
export function mergeNewestPage(loaded: LoadedEntries, page: ListEntriesResult, limit: number): LoadedEntries {
  const newest = loaded.entries[0];
  if (newest === undefined) {
    return { entries: [...page.entries], nextBeforeSeq: page.nextBeforeSeq ?? null };
  }
  const newer = page.entries.filter((e) => e.seq > newest.seq);
  const mayHaveGap = newer.length === page.entries.length && page.entries.length >= limit && page.nextBeforeSeq != null;
  if (mayHaveGap) {
    return { entries: [...page.entries], nextBeforeSeq: page.nextBeforeSeq ?? null };
  }
  return { entries: [...newer, ...loaded.entries], nextBeforeSeq: loaded.nextBeforeSeq };
}
