// CodeLens above each pending hunk: Approve · Reject · Edit… · Diff; above a file's first hunk: Approve file (N) ·
// Reject file; above a hunk the user edited inside: Conflict: you edited these lines · Diff · Reject; above a hunk holding
// hidden or control characters, a warning lens naming them (it opens the diff).
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { EditTracker } from './editTracker';
import { placeHunks } from './hunkPlacement';
import type { ProposalStore } from './proposalStore';
import type { FileRef, HunkRef } from './targets';
import { conflictLensTooltip, hiddenCharactersLens } from '../text/reviewText';

/** One lens before it becomes a vscode.CodeLens: comparing these tells whether anything visible changed. */
interface LensSpec {
  line: number;
  title: string;
  command: string;
  argument: FileRef | HunkRef;
  tooltip?: string;
}

/** Provides the review CodeLenses. */
export class ReviewCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  /** What each document's lenses were when VS Code last asked, to fire only on a real change. */
  private readonly shown = new Map<string, string>();

  constructor(private readonly store: ProposalStore, private readonly edits: EditTracker) {
    // Text edits make VS Code ask again by itself; only proposal changes need an event, and only when they
    // change the lenses of an open document (a re-render can swallow a click on a lens).
    this.subscription = store.onDidChange(() => { this.fireIfChanged(); });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const specs = this.specsFor(document);
    this.shown.set(document.uri.toString(), JSON.stringify(specs));
    return specs.map((spec) => new vscode.CodeLens(new vscode.Range(spec.line, 0, spec.line, 0), {
      title: spec.title,
      command: spec.command,
      arguments: [spec.argument],
      ...(spec.tooltip === undefined ? {} : { tooltip: spec.tooltip }),
    }));
  }

  private fireIfChanged(): void {
    const open = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => d.uri.scheme === 'file');
    for (const key of [...this.shown.keys()]) {
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) {
        this.shown.delete(key);
      }
    }
    const changed = open.some((document) => {
      const before = this.shown.get(document.uri.toString());
      const now = JSON.stringify(this.specsFor(document));
      return before === undefined ? now !== '[]' : before !== now;
    });
    if (changed) {
      this.emitter.fire();
    }
  }

  private specsFor(document: vscode.TextDocument): LensSpec[] {
    const specs: LensSpec[] = [];
    const trusted = vscode.workspace.isTrusted;
    const lastLine = Math.max(0, document.lineCount - 1);
    const placed = placeHunks(this.store, this.edits, document.uri);
    const firstOfFile = new Set<string>();
    for (const { target, range } of placed) {
      const fileRef: FileRef = { folderKey: target.folderKey, proposalId: target.proposal.proposalId, path: target.file.path, revision: target.proposal.revision };
      const hunkRef: HunkRef = { ...fileRef, hunkId: target.hunk.id };
      const line = Math.min(Math.max(0, range.start), lastLine);
      const fileKey = `${fileRef.folderKey}|${fileRef.proposalId}|${fileRef.path}`;
      if (!firstOfFile.has(fileKey)) {
        firstOfFile.add(fileKey);
        const ofFile = placed.filter((p) => p.target.proposal.proposalId === fileRef.proposalId && p.target.file.path === fileRef.path && p.target.folderKey === fileRef.folderKey);
        // Approving a file with a conflicting hunk is refused, so it is not offered.
        if (trusted && !ofFile.some((p) => p.range.conflict)) {
          specs.push({ line, title: `Approve file (${String(ofFile.length)})`, command: Commands.ApproveFile, argument: fileRef });
        }
        if (trusted) {
          specs.push({ line, title: 'Reject file', command: Commands.RejectFile, argument: fileRef });
        }
      }
      if (range.conflict) {
        specs.push(
          { line, title: '$(warning) Conflict: you edited these lines', command: Commands.ShowDiff, argument: fileRef,
            tooltip: conflictLensTooltip(target.proposal, target.hunk) },
          { line, title: 'Diff', command: Commands.ShowDiff, argument: fileRef },
        );
        if (trusted) {
          specs.push({ line, title: 'Reject', command: Commands.RejectHunk, argument: hunkRef });
        }
        continue;
      }
      const hidden = hiddenCharactersLens(target.hunk);
      if (hidden !== undefined) {
        specs.push({ line, title: hidden.title, command: Commands.ShowDiff, argument: fileRef, tooltip: hidden.tooltip });
      }
      if (trusted) {
        specs.push(
          { line, title: 'Approve', command: Commands.ApproveHunk, argument: hunkRef },
          { line, title: 'Reject', command: Commands.RejectHunk, argument: hunkRef },
          { line, title: 'Edit…', command: Commands.EditProposal, argument: hunkRef, tooltip: 'Edit the proposed text in the diff editor; saving records your amendment' },
        );
      }
      specs.push({ line, title: 'Diff', command: Commands.ShowDiff, argument: fileRef });
    }
    return specs;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
