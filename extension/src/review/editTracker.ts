// Records the user's unsaved edits per document as line edits, so pending hunks can follow them
// (see lineTracking.ts for the pure mapping and its tests).
import * as vscode from 'vscode';
import { toLineEdit } from './lineTracking';
import type { LineEdit } from './lineTracking';

/** The user's edits since each file document was last saved (or matched the disk). */
export class EditTracker implements vscode.Disposable {
  private readonly edits = new Map<string, LineEdit[]>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];
  /** Fires after a document's edits were recorded or cleared. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => { this.record(event); }),
      // Saved: the sidecar now sees the new text and rebases the proposal or marks it stale.
      vscode.workspace.onDidSaveTextDocument((document) => { this.clear(document.uri); }),
      vscode.workspace.onDidCloseTextDocument((document) => { this.clear(document.uri); }),
    ];
  }

  /** The unsaved edits of a document, oldest first. */
  editsFor(uri: vscode.Uri): readonly LineEdit[] {
    return this.edits.get(uri.toString()) ?? [];
  }

  private record(event: vscode.TextDocumentChangeEvent): void {
    const document = event.document;
    if (document.uri.scheme !== 'file' || event.contentChanges.length === 0) {
      return;
    }
    const key = document.uri.toString();
    if (!document.isDirty) {
      // Undone back to the saved text (or reverted): the proposal's lines are the document's lines again.
      this.clear(document.uri);
      return;
    }
    const list = this.edits.get(key) ?? [];
    const single = event.contentChanges.length === 1;
    for (const change of event.contentChanges) {
      const start = change.range.start;
      // Only a single change can be checked against the changed document: did it open a line at the end of its start line?
      const opensLineAtEnd = single && /^(\r\n|\r|\n)/u.test(change.text) && change.range.isEmpty
        && start.line < document.lineCount && document.lineAt(start.line).text.length === start.character;
      list.push(toLineEdit({ startLine: start.line, startCharacter: start.character, endLine: change.range.end.line, endCharacter: change.range.end.character, text: change.text },
        opensLineAtEnd ? start.character : start.character + 1));
    }
    this.edits.set(key, list);
    this.emitter.fire(document.uri);
  }

  private clear(uri: vscode.Uri): void {
    if (this.edits.delete(uri.toString())) {
      this.emitter.fire(uri);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.emitter.dispose();
  }
}
