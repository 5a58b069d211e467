import { decide } from '../review/decisions';
import { hunkSelector } from '../review/model';
import { requireHunk } from './helpers';
import type { Services } from './services';

/** openthymos.rejectHunk: rejects one hunk (tree item, CodeLens, or the hunk at the cursor). */
export async function rejectHunk(services: Services, arg?: unknown): Promise<void> {
  const ref = requireHunk(services, arg);
  if (ref === undefined) {
    return;
  }
  await decide(services, 'reject', { folderKey: ref.folderKey, proposalId: ref.proposalId, hunks: [hunkSelector(ref.path, ref.hunkId)], revision: ref.revision }, `Rejecting hunk ${ref.hunkId} of ${ref.path}`);
}
