import { decide } from '../review/decisions';
import { hunkSelector } from '../review/model';
import { requireHunk } from './helpers';
import type { Services } from './services';

/** openthymos.approveHunk: approves one hunk (tree item, CodeLens, or the hunk at the cursor). */
export async function approveHunk(services: Services, arg?: unknown): Promise<void> {
  const ref = requireHunk(services, arg);
  if (ref === undefined) {
    return;
  }
  await decide(services, 'approve', { folderKey: ref.folderKey, proposalId: ref.proposalId, hunks: [hunkSelector(ref.path, ref.hunkId)], revision: ref.revision }, `Approving hunk ${ref.hunkId} of ${ref.path}`);
}
