// Inline review in the real editor: pending hunks are decorations only; nothing is written to the
// buffer or the disk before approval. Hunks follow the user's unsaved edits; a hunk the user edited
// inside is shown as a conflict.
import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import type { EditTracker } from './editTracker';
import { placeHunks } from './hunkPlacement';
import { hunkMatchesDocument } from './model';
import type { ProposalStore } from './proposalStore';
import { changedGhostText, conflictHoverMarkdown, hunkHoverMarkdown, insertionGhostText } from '../text/reviewText';
import { safeMarkdown } from '../text/visibleUi';

/** Decorates pending hunks in visible editors. */
export class HunkDecorations implements vscode.Disposable {
  private readonly changed: vscode.TextEditorDecorationType;
  private readonly inserted: vscode.TextEditorDecorationType;
  private readonly conflicting: vscode.TextEditorDecorationType;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: ProposalStore, private readonly edits: EditTracker, extensionUri: vscode.Uri) {
    const gutter = vscode.Uri.joinPath(extensionUri, 'extension', 'media', 'hunk-gutter.svg');
    this.changed = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      gutterIconPath: gutter,
      gutterIconSize: 'contain',
    });
    this.inserted = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      gutterIconPath: gutter,
      gutterIconSize: 'contain',
    });
    this.conflicting = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('inputValidation.warningBackground'),
      border: '1px dashed',
      borderColor: new vscode.ThemeColor('editorWarning.foreground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.subscriptions = [
      store.onDidChange(() => { this.updateAll(); }),
      vscode.window.onDidChangeVisibleTextEditors(() => { this.updateAll(); }),
      vscode.window.onDidChangeActiveTextEditor(() => { this.updateContext(); }),
      // The tracker records each edit first, then fires: decorations move with the text.
      edits.onDidChange((uri) => {
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document.uri.toString() === uri.toString()) {
            this.update(editor);
          }
        }
      }),
    ];
    this.updateAll();
  }

  /** Redecorates every visible editor. */
  updateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      this.update(editor);
    }
    this.updateContext();
  }

  private updateContext(): void {
    const editor = vscode.window.activeTextEditor;
    const has = editor !== undefined && this.store.hunksFor(editor.document.uri).length > 0;
    void vscode.commands.executeCommand('setContext', ContextKeys.EditorHasPendingHunks, has);
  }

  private update(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== 'file') {
      return;
    }
    const changed: vscode.DecorationOptions[] = [];
    const inserted: vscode.DecorationOptions[] = [];
    const conflicting: vscode.DecorationOptions[] = [];
    const document = editor.document;
    const lastLine = document.lineCount - 1;
    const lineAt = (line: number): string | undefined => (line >= 0 && line <= lastLine ? document.lineAt(line).text : undefined);
    for (const { target, range } of placeHunks(this.store, this.edits, document.uri)) {
      const start = Math.min(Math.max(0, range.start), lastLine);
      const end = Math.min(Math.max(start, range.end), lastLine);
      if (range.conflict) {
        const hover = safeMarkdown(conflictHoverMarkdown(target.proposal, target.hunk));
        for (let line = start; line <= end; line++) {
          conflicting.push({
            range: document.lineAt(line).range,
            hoverMessage: hover,
            renderOptions: line === end ? { after: { contentText: '  ⚠ conflict: you edited lines of a pending hunk', color: new vscode.ThemeColor('editorWarning.foreground'), fontStyle: 'italic' } } : undefined,
          });
        }
        continue;
      }
      if (!hunkMatchesDocument(target.hunk, range, lineAt)) {
        // The buffer does not show the lines this hunk replaces (the file changed and the sidecar has not answered yet): no misplaced highlights.
        continue;
      }
      const hover = safeMarkdown(hunkHoverMarkdown(target.proposal, target.hunk));
      const list = range.insertion ? inserted : changed;
      for (let line = start; line <= end; line++) {
        const lineRange = editor.document.lineAt(line).range;
        list.push({
          range: lineRange,
          hoverMessage: hover,
          renderOptions: line === end ? {
            after: { contentText: range.insertion ? insertionGhostText(target.hunk) : changedGhostText(target.hunk), color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' },
          } : undefined,
        });
      }
    }
    editor.setDecorations(this.changed, changed);
    editor.setDecorations(this.inserted, inserted);
    editor.setDecorations(this.conflicting, conflicting);
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.changed.dispose();
    this.inserted.dispose();
    this.conflicting.dispose();
  }
}
