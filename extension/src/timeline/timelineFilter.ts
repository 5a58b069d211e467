// The Ledger Timeline's filter (no vscode import): what the user narrowed the view to, how it is described
// in the view, and the ledger/listEntries params it becomes. Unit-tested by tests/node/ledgerModel.test.mjs.
import { entryKindStyle } from '../entryKinds';
import type { ListEntriesParams } from '../protocol';

/** Agent, file and kinds to show; an absent field does not filter. */
export interface TimelineFilter {
  /** Only entries of this agent (its name, without `agent:`). */
  agent?: string;
  /** Only entries naming this workspace-relative path. */
  path?: string;
  /** Only these entry kinds. */
  kinds?: readonly string[];
}

/** True when the filter lets everything through. */
export function isFilterEmpty(filter: TimelineFilter): boolean {
  return (filter.agent ?? '') === '' && (filter.path ?? '') === '' && (filter.kinds ?? []).length === 0;
}

/** A one-line description ("agent claude · file src/app.ts · Commit, Revert"), or '' for no filter. */
export function describeFilter(filter: TimelineFilter): string {
  const parts: string[] = [];
  if (filter.agent !== undefined && filter.agent !== '') {
    parts.push(`agent ${filter.agent}`);
  }
  if (filter.path !== undefined && filter.path !== '') {
    parts.push(`file ${filter.path}`);
  }
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    parts.push(filter.kinds.map((k) => entryKindStyle(k).label).join(', '));
  }
  return parts.join(' · ');
}

/** The `ledger/listEntries` params for one page under this filter. */
export function listParams(filter: TimelineFilter, beforeSeq: number | null, limit: number): ListEntriesParams {
  return {
    beforeSeq,
    limit,
    agent: filter.agent !== undefined && filter.agent !== '' ? filter.agent : null,
    path: filter.path !== undefined && filter.path !== '' ? filter.path : null,
    kinds: filter.kinds !== undefined && filter.kinds.length > 0 ? [...filter.kinds] : null,
  };
}
