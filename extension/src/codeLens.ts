// CodeLens above each pending hunk: Approve · Reject · Diff; above a file's first hunk: Approve file (N) · Reject file.
import * as vscode from 'vscode';
import { Commands } from './constants';
import { hunkLineRange, pendingHunks } from './model';
import type { ProposalStore } from './proposalStore';
import type { FileRef, HunkRef } from './targets';

/** Provides the review CodeLenses. */
export class ReviewCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ProposalStore) {
    this.subscription = store.onDidChange(() => { this.emitter.fire(); });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const trusted = vscode.workspace.isTrusted;
    const lastLine = Math.max(0, document.lineCount - 1);
    for (const target of this.store.filesFor(document.uri)) {
      const hunks = pendingHunks(target.file);
      const fileRef: FileRef = { folderKey: target.folderKey, proposalId: target.proposal.proposalId, path: target.file.path };
      hunks.forEach((hunk, index) => {
        const line = Math.min(hunkLineRange(hunk, target.file.hunks).start, lastLine);
        const range = new vscode.Range(line, 0, line, 0);
        const hunkRef: HunkRef = { ...fileRef, hunkId: hunk.id };
        if (index === 0 && trusted) {
          lenses.push(
            new vscode.CodeLens(range, { title: `Approve file (${String(hunks.length)})`, command: Commands.ApproveFile, arguments: [fileRef] }),
            new vscode.CodeLens(range, { title: 'Reject file', command: Commands.RejectFile, arguments: [fileRef] }),
          );
        }
        if (trusted) {
          lenses.push(
            new vscode.CodeLens(range, { title: 'Approve', command: Commands.ApproveHunk, arguments: [hunkRef] }),
            new vscode.CodeLens(range, { title: 'Reject', command: Commands.RejectHunk, arguments: [hunkRef] }),
          );
        }
        lenses.push(new vscode.CodeLens(range, { title: 'Diff', command: Commands.ShowDiff, arguments: [fileRef] }));
      });
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
