// Command, view and other ids of the extension. package.json contributes exactly these
// (tests/node/commands.test.mjs checks both directions).

/** Every command the extension registers. */
export const Commands = {
  ApproveHunk: 'openthymos.approveHunk',
  RejectHunk: 'openthymos.rejectHunk',
  ApproveFile: 'openthymos.approveFile',
  RejectFile: 'openthymos.rejectFile',
  ApproveAll: 'openthymos.approveAll',
  RejectAll: 'openthymos.rejectAll',
  NextHunk: 'openthymos.nextHunk',
  PreviousHunk: 'openthymos.previousHunk',
  ShowDiff: 'openthymos.showDiff',
  EditProposal: 'openthymos.editProposal',
  VerifyLedger: 'openthymos.verifyLedger',
  ReplayLedger: 'openthymos.replayLedger',
  ShowDrift: 'openthymos.showDrift',
  GrantAgentAccess: 'openthymos.grantAgentAccess',
  RevokeAgentAccess: 'openthymos.revokeAgentAccess',
  ShowSidecarLog: 'openthymos.showSidecarLog',
  Refresh: 'openthymos.refresh',
  EnableInFolder: 'openthymos.enableInFolder',
  ReplayToEntry: 'openthymos.replayToEntry',
  ReplayToHere: 'openthymos.replayToHere',
  StepThroughReplay: 'openthymos.stepThroughReplay',
  ReplayStepNext: 'openthymos.replayStepNext',
  ReplayStepPrevious: 'openthymos.replayStepPrevious',
  ReplayStepStop: 'openthymos.replayStepStop',
  RevertCommit: 'openthymos.revertCommit',
  ExportAuditReport: 'openthymos.exportAuditReport',
  FilterTimeline: 'openthymos.filterTimeline',
  ClearTimelineFilter: 'openthymos.clearTimelineFilter',
  LoadMoreEntries: 'openthymos.loadMoreEntries',
  OpenEntryDiff: 'openthymos.openEntryDiff',
  CopyEntryHash: 'openthymos.copyEntryHash',
  ShowEntryDetails: 'openthymos.showEntryDetails',
  ReviewPolicy: 'openthymos.reviewPolicy',
} as const;

/** The views of the OpenThymos activity-bar container. */
export const Views = {
  Container: 'openthymos',
  Pending: 'openthymos.pending',
  Timeline: 'openthymos.timeline',
  Agents: 'openthymos.agents',
} as const;

/** The command VS Code generates to focus the Pending view. */
export const FocusPendingCommand = `${Views.Pending}.focus`;

/** Context keys set by the extension (used in `when` clauses). */
export const ContextKeys = {
  EditorHasPendingHunks: 'openthymos.editorHasPendingHunks',
  /** Some folder has a sidecar (OpenThymos is enabled there). */
  Enabled: 'openthymos.enabled',
  /** Some open folder has not opted in (no `.thymos/`, no sidecar). */
  FolderNotEnabled: 'openthymos.folderNotEnabled',
  TimelineFiltered: 'openthymos.timelineFiltered',
  ReplayStepping: 'openthymos.replayStepping',
} as const;

/** The scheme of the virtual files holding a proposal's text (the proposed side is writable: saving amends). */
export const ProposalScheme = 'openthymos-proposal';

/** The scheme of the read-only documents rebuilt from the ledger (files at an entry, entry details, reports). */
export const LedgerScheme = 'openthymos-ledger';

/** The output channel of the sidecars. */
export const SidecarChannelName = 'OpenThymos Sidecar';

/** The configuration section. */
export const ConfigSection = 'openthymos';
