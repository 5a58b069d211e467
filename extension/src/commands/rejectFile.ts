import { decide } from '../review/decisions';
import { requireFile } from './helpers';
import type { Services } from './services';

/** openthymos.rejectFile: rejects every pending hunk of one file of a proposal. */
export async function rejectFile(services: Services, arg?: unknown): Promise<void> {
  const ref = requireFile(services, arg);
  if (ref === undefined) {
    return;
  }
  await decide(services, 'reject', { folderKey: ref.folderKey, proposalId: ref.proposalId, files: [ref.path], revision: ref.revision }, `Rejecting ${ref.path}`);
}
