// What command functions need.
import type { AgentsTreeProvider } from '../writs/agentsView';
import type { EditTracker } from '../review/editTracker';
import type { LedgerDocumentProvider } from '../ledger/ledgerDocuments';
import type { LedgerHealth } from '../ledger/ledgerHealth';
import type { ProposalStore } from '../review/proposalStore';
import type { ReplayStepper } from '../ledger/replayStepper';
import type { SidecarManager } from '../sidecar/sidecarManager';
import type { TimelineTreeProvider } from '../timeline/timelineView';

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
