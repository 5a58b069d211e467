import { decide } from '../review/decisions';
import { hunkSelector } from '../review/model';
import { resolveHunk } from '../review/targets';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** openthymos.rejectHunk: rejects one hunk (tree item, CodeLens, or the hunk at the cursor). */
export async function rejectHunk(services: Services, arg?: unknown): Promise<void> {
  const ref = resolveHunk(arg, services.store);
  if (ref === undefined) {
    void showInformation('OpenThymos: no pending hunk here. Open a file with pending hunks or pick one in the Pending view.');
    return;
  }
  await decide(services, 'reject', { folderKey: ref.folderKey, proposalId: ref.proposalId, hunks: [hunkSelector(ref.path, ref.hunkId)], revision: ref.revision }, `Rejecting hunk ${ref.hunkId} of ${ref.path}`);
}
