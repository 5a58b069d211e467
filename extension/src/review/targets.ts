// What a review command acts on: a tree item, a CodeLens argument, or the hunk at the cursor.
import * as vscode from 'vscode';
import type { ProposalStore } from './proposalStore';
import { hunkLineRange } from './model';

/** A hunk named by folder, proposal, path and id. */
export interface HunkRef {
  folderKey: string;
  proposalId: string;
  path: string;
  hunkId: string;
  /** The revision shown when the ref was drawn (CodeLens, tree item); a decision names it so a newer one is refused. */
  revision?: number;
}

/** A file of a proposal. */
export interface FileRef {
  folderKey: string;
  proposalId: string;
  path: string;
  /** The revision shown when the ref was drawn (CodeLens, tree item); a decision names it so a newer one is refused. */
  revision?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asFileRef(value: unknown): FileRef | undefined {
  if (isRecord(value) && typeof value.folderKey === 'string' && typeof value.proposalId === 'string' && typeof value.path === 'string') {
    return { folderKey: value.folderKey, proposalId: value.proposalId, path: value.path, ...(typeof value.revision === 'number' ? { revision: value.revision } : {}) };
  }
  if (isRecord(value) && 'fileRef' in value) {
    return asFileRef(value.fileRef);
  }
  if (isRecord(value) && 'hunkRef' in value) {
    return asFileRef(value.hunkRef);
  }
  return undefined;
}

function asHunkRef(value: unknown): HunkRef | undefined {
  if (isRecord(value) && 'hunkRef' in value) {
    return asHunkRef(value.hunkRef);
  }
  const file = asFileRef(value);
  if (file !== undefined && isRecord(value) && typeof value.hunkId === 'string') {
    return { ...file, hunkId: value.hunkId };
  }
  return undefined;
}

/** The pending hunk at (or else after, else before) the cursor of the active editor. */
export function hunkAtCursor(store: ProposalStore): HunkRef | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const line = editor.selection.active.line;
  const hunks = store.hunksFor(editor.document.uri).map((t) => ({ t, range: hunkLineRange(t.hunk, t.file.hunks) }));
  const hit = hunks.find((h) => h.range.start <= line && line <= h.range.end)
    ?? hunks.filter((h) => h.range.start > line).sort((a, b) => a.range.start - b.range.start)[0]
    ?? hunks.sort((a, b) => b.range.start - a.range.start)[0];
  return hit === undefined ? undefined : { folderKey: hit.t.folderKey, proposalId: hit.t.proposal.proposalId, path: hit.t.file.path, hunkId: hit.t.hunk.id, revision: hit.t.proposal.revision };
}

/** The hunk a command acts on. */
export function resolveHunk(arg: unknown, store: ProposalStore): HunkRef | undefined {
  return asHunkRef(arg) ?? hunkAtCursor(store);
}

/** The file a command acts on (a tree item, a CodeLens argument, or the active editor's first pending file). */
export function resolveFile(arg: unknown, store: ProposalStore): FileRef | undefined {
  const explicit = asFileRef(arg);
  if (explicit !== undefined) {
    return explicit;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const first = store.filesFor(editor.document.uri)[0];
  return first === undefined ? undefined : { folderKey: first.folderKey, proposalId: first.proposal.proposalId, path: first.file.path, revision: first.proposal.revision };
}
