// Step Through Replay and its Next / Previous / Stop commands.
import { changesFiles, EntryKinds } from '../entryKinds';
import { asEntryTarget, readAllEntries } from '../ledger/ledgerEntries';
import { pickSidecar, showLedgerWorkError } from './helpers';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** openthymos.stepThroughReplay: walk the commits oldest first (from the given timeline entry, if any). */
export async function stepThroughReplay(services: Services, arg?: unknown): Promise<void> {
  const from = asEntryTarget(arg);
  const sidecar = from !== undefined ? services.sidecars.forFolderKey(from.folderKey) : await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const { entries } = await readAllEntries(sidecar, [EntryKinds.Commit, EntryKinds.Revert]);
    const folderKey = sidecar.folder.uri.toString();
    const steps = entries.filter((e) => changesFiles(e.kind) && e.paths.length > 0).reverse().map((entry) => ({ folderKey, entry }));
    if (steps.length === 0) {
      void showInformation(`OpenThymos: the ledger of ${sidecar.folder.name} has no commits yet, so there is nothing to step through.`);
      return;
    }
    const start = from === undefined ? 0 : Math.max(0, steps.findIndex((s) => s.entry.seq >= from.entry.seq));
    await services.stepper.start(sidecar.folder.name, steps, start);
  } catch (error) {
    await showLedgerWorkError('Reading the commits', error);
  }
}

/** openthymos.replayStepNext. */
export async function replayStepNext(services: Services): Promise<void> {
  await services.stepper.next();
}

/** openthymos.replayStepPrevious. */
export async function replayStepPrevious(services: Services): Promise<void> {
  await services.stepper.previous();
}

/** openthymos.replayStepStop. */
export async function replayStepStop(services: Services): Promise<void> {
  await services.stepper.stop();
}
