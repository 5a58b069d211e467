import * as vscode from 'vscode';
import type { EditTracker } from '../review/editTracker';
import { trackRange } from '../review/lineTracking';
import { hunkLineRange } from '../review/model';
import { ProposalStore } from '../review/proposalStore';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

interface Stop {
  uri: vscode.Uri;
  line: number;
}

/** Every pending hunk's first line as it is now: shifted by the user's unsaved edits above it. */
function allStops(store: ProposalStore, edits: EditTracker): Stop[] {
  return store.allHunks()
    .map((t) => {
      const uri = ProposalStore.fileUri(t.folderKey, t.file.path);
      return { uri, line: trackRange(hunkLineRange(t.hunk, t.file.hunks), edits.editsFor(uri)).start };
    })
    .sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.line - b.line);
}

async function go(stop: Stop): Promise<void> {
  const editor = await vscode.window.showTextDocument(stop.uri, { preview: false });
  const line = Math.min(stop.line, editor.document.lineCount - 1);
  const position = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function move(services: Services, direction: 1 | -1): Promise<void> {
  const stops = allStops(services.store, services.edits);
  if (stops.length === 0) {
    void showInformation('OpenThymos: no pending hunks.');
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const here = editor === undefined ? undefined : { uri: editor.document.uri.toString(), line: editor.selection.active.line };
  const compare = (s: Stop): number => here === undefined ? -1 : s.uri.toString().localeCompare(here.uri) || s.line - here.line;
  const next = direction === 1
    ? stops.find((s) => compare(s) > 0) ?? stops[0]
    : [...stops].reverse().find((s) => compare(s) < 0) ?? stops[stops.length - 1];
  if (next !== undefined) {
    await go(next);
  }
}

/** openthymos.nextHunk: moves to the next pending hunk (across files, wrapping around). */
export async function nextHunk(services: Services): Promise<void> {
  await move(services, 1);
}

/** openthymos.previousHunk: moves to the previous pending hunk. */
export async function previousHunk(services: Services): Promise<void> {
  await move(services, -1);
}
