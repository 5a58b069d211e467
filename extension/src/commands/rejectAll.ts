import { decideAll } from './helpers';
import type { Services } from './services';

/** openthymos.rejectAll: rejects every pending hunk of every pending proposal, after a confirmation. */
export function rejectAll(services: Services): Promise<void> {
  return decideAll(services, 'reject');
}
