// Where each pending hunk of a document is now: its base lines mapped through the user's unsaved edits,
// and whether the user edited inside it (a conflict). Decorations, CodeLens and approvals share this.
import type * as vscode from 'vscode';
import type { EditTracker } from './editTracker';
import { trackRange } from './lineTracking';
import type { TrackedRange } from './lineTracking';
import { hunkLineRange } from './model';
import type { HunkTarget, ProposalStore } from './proposalStore';

/** A pending hunk placed in a document. */
export interface PlacedHunk {
  /** The hunk and its proposal. */
  target: HunkTarget;
  /** Its lines now, and whether the user edited them. */
  range: TrackedRange;
}

/** The pending hunks of a document, placed through the user's unsaved edits. */
export function placeHunks(store: ProposalStore, edits: EditTracker, uri: vscode.Uri): PlacedHunk[] {
  const unsaved = edits.editsFor(uri);
  return store.hunksFor(uri).map((target) => ({ target, range: trackRange(hunkLineRange(target.hunk, target.file.hunks), unsaved) }));
}

/** The hunks (as `path#id`) of a proposal that the user edited inside, in any open document. */
export function conflictingHunks(store: ProposalStore, edits: EditTracker, documents: readonly vscode.TextDocument[], folderKey: string, proposalId: string): Set<string> {
  const result = new Set<string>();
  for (const document of documents) {
    if (document.uri.scheme !== 'file' || edits.editsFor(document.uri).length === 0) {
      continue;
    }
    for (const placed of placeHunks(store, edits, document.uri)) {
      if (placed.range.conflict && placed.target.folderKey === folderKey && placed.target.proposal.proposalId === proposalId) {
        result.add(`${placed.target.file.path}#${placed.target.hunk.id}`);
      }
    }
  }
  return result;
}
