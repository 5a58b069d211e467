// Pure knowledge about ledger entry kinds (no vscode import): their display names, codicons and colors,
// as docs/ledger-format.md lists them. Unit-tested by tests/node/ledgerModel.test.mjs.

/** The entry kinds of ledger format version 1. */
export const EntryKinds = {
  Genesis: 'genesis',
  WritIssued: 'writ.issued',
  WritRevoked: 'writ.revoked',
  ProposalStaged: 'proposal.staged',
  Approval: 'proposal.approved',
  Rejection: 'proposal.rejected',
  Commit: 'commit',
  ExecutionFailed: 'execution.failed',
  Revert: 'revert',
  ExternalChangeObserved: 'external-change.observed',
  PolicyChanged: 'policy.changed',
  RollbackAccepted: 'ledger.rollback-accepted',
} as const;

/** How an entry kind is shown. */
export interface EntryKindStyle {
  /** A human name ("Commit", "Proposal staged"). */
  label: string;
  /** The codicon id for a ThemeIcon. */
  icon: string;
  /** A theme color id for the icon, when the kind deserves attention. */
  color?: string;
}

const styles: Record<string, EntryKindStyle> = {
  [EntryKinds.Genesis]: { label: 'Ledger created', icon: 'rocket' },
  [EntryKinds.WritIssued]: { label: 'Writ issued', icon: 'key' },
  [EntryKinds.WritRevoked]: { label: 'Writ revoked', icon: 'circle-slash', color: 'charts.orange' },
  [EntryKinds.ProposalStaged]: { label: 'Proposal staged', icon: 'git-pull-request-draft' },
  [EntryKinds.Approval]: { label: 'Approved', icon: 'pass', color: 'charts.green' },
  [EntryKinds.Rejection]: { label: 'Rejected', icon: 'close', color: 'charts.red' },
  [EntryKinds.Commit]: { label: 'Commit', icon: 'git-commit', color: 'charts.blue' },
  [EntryKinds.ExecutionFailed]: { label: 'Execution failed', icon: 'error', color: 'charts.red' },
  [EntryKinds.Revert]: { label: 'Revert', icon: 'discard', color: 'charts.purple' },
  [EntryKinds.ExternalChangeObserved]: { label: 'External change', icon: 'warning', color: 'charts.yellow' },
  [EntryKinds.PolicyChanged]: { label: 'Policy changed', icon: 'law' },
  [EntryKinds.RollbackAccepted]: { label: 'Restored ledger accepted', icon: 'history', color: 'charts.red' },
};

/** Every known kind, in the order of the format document. */
export const allEntryKinds: readonly string[] = Object.values(EntryKinds);

/** How to show a kind; unknown kinds (a newer ledger) get a neutral icon and their raw name. */
export function entryKindStyle(kind: string): EntryKindStyle {
  return styles[kind] ?? { label: kind, icon: 'circle-small' };
}

/** True for the kinds whose entry changed files, so a diff can be rebuilt for them. */
export function changesFiles(kind: string): boolean {
  return kind === EntryKinds.Commit || kind === EntryKinds.Revert;
}

/** The agent an actor names (`agent:NAME` → NAME), else undefined. */
export function agentOfActor(actor: string): string | undefined {
  return actor.startsWith('agent:') ? actor.slice('agent:'.length) : undefined;
}
