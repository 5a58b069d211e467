// The Ledger Timeline's own commands: Filter…, Clear Filter, Load more…, and the entry actions Open Commit
// Diff, Copy Hash and Show Entry Details.
import * as vscode from 'vscode';
import { openEntryDiff } from '../ledger/entryDiff';
import { agentOfActor, allEntryKinds, entryKindStyle } from '../entryKinds';
import { showRequestError } from '../errors';
import { LedgerDocumentProvider } from '../ledger/ledgerDocuments';
import { describeFilter } from '../timeline/timelineFilter';
import type { TimelineFilter } from '../timeline/timelineFilter';
import { requireEntry } from './helpers';
import type { Services } from './services';
import { setStatusBarMessage } from '../text/visibleUi';
import { visibleIconLabel } from '../text/visibleText';

/** Offers known values plus whatever the user types; '' means "any". */
async function pickValue(title: string, known: string[], current: string | undefined, anyLabel: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    // Known values come from the ledger (agent names, paths): shown neutralized, while the value picked stays exact.
    const base: (vscode.QuickPickItem & { value: string })[] = [{ label: anyLabel, description: 'no filter', value: '' }, ...known.map((k) => ({ label: visibleIconLabel(k), description: k === current ? 'current' : undefined, value: k }))];
    quickPick.title = title;
    quickPick.placeholder = 'Pick one, or type a value and press Enter';
    quickPick.items = base;
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      quickPick.items = typed === '' || known.includes(typed) ? base : [{ label: visibleIconLabel(typed), description: 'typed', value: typed }, ...base];
    });
    let done = false;
    quickPick.onDidAccept(() => {
      const picked = quickPick.selectedItems[0]?.value;
      done = true;
      quickPick.hide();
      resolve(picked);
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      if (!done) {
        resolve(undefined);
      }
    });
    quickPick.show();
  });
}

/** openthymos.filterTimeline: narrows the timeline by agent, file or kinds (QuickPicks). */
export async function filterTimeline(services: Services): Promise<void> {
  const timeline = services.timeline;
  const current = timeline.filter;
  const loaded = timeline.loadedEntries().map((e) => e.entry);
  const choice = await vscode.window.showQuickPick([
    { label: '$(person) Agent…', description: current.agent ?? 'any agent', what: 'agent' as const },
    { label: '$(file) File…', description: current.path ?? 'any file', what: 'path' as const },
    { label: '$(symbol-enum) Kinds…', description: (current.kinds ?? []).map((k) => entryKindStyle(k).label).join(', ') || 'all kinds', what: 'kinds' as const },
    { label: '$(clear-all) Clear Filter', description: describeFilter(current) || 'no filter set', what: 'clear' as const },
  ], { title: 'Filter the Ledger Timeline', placeHolder: describeFilter(current) === '' ? 'Show only the entries of…' : `Now: ${describeFilter(current)}` });
  if (choice === undefined) {
    return;
  }
  let next: TimelineFilter = { ...current };
  if (choice.what === 'clear') {
    next = {};
  } else if (choice.what === 'agent') {
    const agents = new Set<string>();
    for (const e of loaded) {
      const agent = agentOfActor(e.actor);
      if (agent !== undefined) {
        agents.add(agent);
      }
    }
    for (const p of services.store.proposals()) {
      agents.add(p.detail.proposal.agent);
    }
    const agent = await pickValue('Show only the entries of this agent', [...agents].sort(), current.agent, 'Any agent');
    if (agent === undefined) {
      return;
    }
    next.agent = agent === '' ? undefined : agent;
  } else if (choice.what === 'path') {
    const paths = new Set(loaded.flatMap((e) => e.paths));
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') {
      paths.add(vscode.workspace.asRelativePath(active, false));
    }
    const file = await pickValue('Show only the entries naming this file (workspace-relative path)', [...paths].sort(), current.path, 'Any file');
    if (file === undefined) {
      return;
    }
    next.path = file === '' ? undefined : file;
  } else {
    const picked = await vscode.window.showQuickPick(allEntryKinds.map((kind) => ({
      label: `$(${entryKindStyle(kind).icon}) ${entryKindStyle(kind).label}`,
      description: kind,
      picked: (current.kinds ?? []).includes(kind),
      entryKind: kind,
    })), { title: 'Show only these kinds (none = all)', canPickMany: true });
    if (picked === undefined) {
      return;
    }
    next.kinds = picked.length === 0 || picked.length === allEntryKinds.length ? undefined : picked.map((p) => p.entryKind);
  }
  timeline.setFilter(next);
}

/** openthymos.clearTimelineFilter. */
export function clearTimelineFilter(services: Services): void {
  services.timeline.setFilter({});
}

/** openthymos.loadMoreEntries: the "Load more…" item. */
export async function loadMoreEntries(services: Services, arg?: unknown): Promise<void> {
  const folderKey = typeof arg === 'object' && arg !== null && typeof (arg as { folderKey?: unknown }).folderKey === 'string' ? (arg as { folderKey: string }).folderKey : services.sidecars.all[0]?.folder.uri.toString();
  if (folderKey === undefined) {
    return;
  }
  try {
    await services.timeline.loadMore(folderKey);
  } catch (error) {
    await showRequestError('Loading older ledger entries', error);
  }
}

/** openthymos.openEntryDiff: a commit's or revert's diff rebuilt from the ledger; other entries show their details. */
export async function openEntryDiffCommand(services: Services, arg?: unknown): Promise<void> {
  const target = requireEntry(arg, 'Open Commit Diff');
  if (target === undefined) {
    return;
  }
  try {
    if (!(await openEntryDiff(services.sidecars, target))) {
      await showEntryDetails(services, target);
    }
  } catch (error) {
    await showRequestError(`Opening the diff of entry #${String(target.entry.seq)}`, error);
  }
}

/** openthymos.copyEntryHash: the entry hash to the clipboard. */
export async function copyEntryHash(_services: Services, arg?: unknown): Promise<void> {
  const target = requireEntry(arg, 'Copy Hash');
  if (target === undefined) {
    return;
  }
  await vscode.env.clipboard.writeText(target.entry.hash);
  setStatusBarMessage(`OpenThymos: copied the hash of entry #${String(target.entry.seq)}`, 3000);
}

/** openthymos.showEntryDetails: the entry (ledger/getEntry) as a read-only JSON document. */
export async function showEntryDetails(_services: Services, arg?: unknown): Promise<void> {
  const target = requireEntry(arg, 'Show Entry Details');
  if (target === undefined) {
    return;
  }
  const document = await vscode.workspace.openTextDocument(LedgerDocumentProvider.entryUri(target.folderKey, target.entry.seq));
  await vscode.window.showTextDocument(document, { preview: true });
}
