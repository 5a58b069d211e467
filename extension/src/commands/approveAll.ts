import { decideAll } from './helpers';
import type { Services } from './services';

/** openthymos.approveAll: approves every pending hunk of every pending proposal, after a confirmation. */
export function approveAll(services: Services): Promise<void> {
  return decideAll(services, 'approve');
}
