// What command functions need.
import type { AgentsTreeProvider } from '../agentsView';
import type { EditTracker } from '../editTracker';
import type { LedgerDocumentProvider } from '../ledgerDocuments';
import type { LedgerHealth } from '../ledgerHealth';
import type { ProposalStore } from '../proposalStore';
import type { ReplayStepper } from '../replayStepper';
import type { SidecarManager } from '../sidecarManager';
import type { TimelineTreeProvider } from '../timelineView';

/** The services command functions use. */
export interface Services {
  sidecars: SidecarManager;
  store: ProposalStore;
  timeline: TimelineTreeProvider;
  agents: AgentsTreeProvider;
  edits: EditTracker;
  documents: LedgerDocumentProvider;
  health: LedgerHealth;
  stepper: ReplayStepper;
}
