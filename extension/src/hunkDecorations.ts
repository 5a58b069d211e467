// Inline review in the real editor: pending hunks are decorations only; nothing is written to the
// buffer or the disk before approval.
import * as vscode from 'vscode';
import { ContextKeys } from './constants';
import { hunkLineRange, hunkMatchesDocument, stripTerminator } from './model';
import type { HunkTarget, ProposalStore } from './proposalStore';

/** Decorates pending hunks in visible editors. */
export class HunkDecorations implements vscode.Disposable {
  private readonly changed: vscode.TextEditorDecorationType;
  private readonly inserted: vscode.TextEditorDecorationType;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: ProposalStore, extensionUri: vscode.Uri) {
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
    this.subscriptions = [
      store.onDidChange(() => { this.updateAll(); }),
      vscode.window.onDidChangeVisibleTextEditors(() => { this.updateAll(); }),
      vscode.window.onDidChangeActiveTextEditor(() => { this.updateContext(); }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document === e.document) {
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
    const document = editor.document;
    const lastLine = document.lineCount - 1;
    const lineAt = (line: number): string | undefined => (line >= 0 && line <= lastLine ? document.lineAt(line).text : undefined);
    for (const target of this.store.hunksFor(document.uri)) {
      const range = hunkLineRange(target.hunk, target.file.hunks);
      if (!hunkMatchesDocument(target.hunk, range, lineAt)) {
        // The buffer no longer shows the lines this hunk replaces (edited since): no misplaced highlights.
        continue;
      }
      const start = Math.min(range.start, lastLine);
      const end = Math.min(range.end, lastLine);
      const added = target.hunk.added.map(stripTerminator);
      const hover = hoverFor(target, added);
      const ghost = added.length === 1 ? `  → ${added[0] ?? ''}` : added.length > 1 ? `  → ${String(added.length)} lines proposed (hover to see them)` : '  → (lines removed)';
      const list = range.insertion ? inserted : changed;
      for (let line = start; line <= end; line++) {
        const lineRange = editor.document.lineAt(line).range;
        list.push({
          range: lineRange,
          hoverMessage: hover,
          renderOptions: line === end ? {
            after: { contentText: range.insertion ? `  + ${added.length === 1 ? added[0] ?? '' : `${String(added.length)} lines proposed below (hover)`}` : ghost, color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' },
          } : undefined,
        });
      }
    }
    editor.setDecorations(this.changed, changed);
    editor.setDecorations(this.inserted, inserted);
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.changed.dispose();
    this.inserted.dispose();
  }
}

function hoverFor(target: HunkTarget, added: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**OpenThymos** — ${target.proposal.agent} proposes hunk \`${target.hunk.id}\` (${target.proposal.description || 'no description'})\n\n`);
  if (added.length > 0) {
    md.appendCodeblock(added.join('\n'), 'text');
  } else {
    md.appendMarkdown('_Removes these lines._');
  }
  return md;
}
