// Builds approve and reject params that name exactly what the editor showed: the proposal's revision and the content
// digest of each hunk being decided. The sidecar refuses the decision (RevisionMismatch, ReviewOutdated) when the proposal
// moved on since, so an agent revising a proposal between the reviewer's look and the click cannot get the new text approved.
// Pure (no vscode import); unit-tested by tests/node/reviewPin.test.mjs.
import { hunkSelector } from './model';
import type { ApproveProposalParams, GetProposalResult, RejectProposalParams } from '../protocol';

/** What a decision covers, and the revision the reviewer was shown when the command's target was drawn, if known. */
export interface ReviewSelection {
  proposalId: string;
  files?: string[];
  hunks?: string[];
  /** The revision the CodeLens, tree item or editor showed; when absent, the revision in the store (what the editor shows now). */
  revision?: number;
}

/**
 * The digest of every hunk of the shown proposal the decision covers, by `path#hunkId`: the named hunks, every hunk of the
 * named files, or every hunk. Null when the selection was drawn from another revision than the one in the store: the
 * store no longer holds what the reviewer saw, and the sidecar refuses the older revision anyway.
 */
export function reviewedDigests(shown: GetProposalResult, selection: ReviewSelection): Record<string, string> | null {
  if (selection.revision !== undefined && selection.revision !== shown.proposal.revision) {
    return null;
  }
  const digests: Record<string, string> = {};
  for (const file of shown.files) {
    for (const hunk of file.hunks) {
      const key = hunkSelector(file.path, hunk.id);
      const covered = selection.hunks !== undefined ? selection.hunks.includes(key) : selection.files !== undefined ? selection.files.includes(file.path) : true;
      if (covered) {
        digests[key] = hunk.digest;
      }
    }
  }
  return digests;
}

/** `proposal/approve` params for a selection of the shown proposal. */
export function approveParams(shown: GetProposalResult, selection: ReviewSelection): ApproveProposalParams {
  return {
    proposalId: selection.proposalId,
    revision: selection.revision ?? shown.proposal.revision,
    files: selection.files ?? null,
    hunks: selection.hunks ?? null,
    hunkDigests: reviewedDigests(shown, selection),
  };
}

/** `proposal/reject` params for a selection of the shown proposal. */
export function rejectParams(shown: GetProposalResult, selection: ReviewSelection, reason: string): RejectProposalParams {
  return {
    proposalId: selection.proposalId,
    revision: selection.revision ?? shown.proposal.revision,
    files: selection.files ?? null,
    hunks: selection.hunks ?? null,
    reason,
    hunkDigests: reviewedDigests(shown, selection),
  };
}
