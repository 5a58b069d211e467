import { decide } from '../review/decisions';
import { resolveFile } from '../review/targets';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** openthymos.approveFile: approves every pending hunk of one file of a proposal. */
export async function approveFile(services: Services, arg?: unknown): Promise<void> {
  const ref = resolveFile(arg, services.store);
  if (ref === undefined) {
    void showInformation('OpenThymos: this file has no pending proposal. Pick a file in the Pending view.');
    return;
  }
  await decide(services, 'approve', { folderKey: ref.folderKey, proposalId: ref.proposalId, files: [ref.path], revision: ref.revision }, `Approving ${ref.path}`);
}
