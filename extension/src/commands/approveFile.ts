import { decide } from '../review/decisions';
import { requireFile } from './helpers';
import type { Services } from './services';

/** openthymos.approveFile: approves every pending hunk of one file of a proposal. */
export async function approveFile(services: Services, arg?: unknown): Promise<void> {
  const ref = requireFile(services, arg);
  if (ref === undefined) {
    return;
  }
  await decide(services, 'approve', { folderKey: ref.folderKey, proposalId: ref.proposalId, files: [ref.path], revision: ref.revision }, `Approving ${ref.path}`);
}
