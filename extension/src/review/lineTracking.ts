// Pure logic (no vscode import) that keeps pending hunks on the right lines while the user edits the
// buffer, and finds the hunks whose lines the user edited. Unit-tested by tests/node/lineTracking.test.mjs.
import type { HunkLineRange } from './model';

/**
 * One edit of a document, in lines: the lines `startLine`..`endLine` (0-based, inclusive, counted in the
 * document as it was just before this edit) were replaced by text spanning `insertedLineBreaks` more line
 * breaks. Typing a character is `{startLine: n, endLine: n, insertedLineBreaks: 0}`; pressing Enter at the
 * end of line n is `{startLine: n, endLine: n, insertedLineBreaks: 1, atLineEnd: true}`.
 */
export interface LineEdit {
  /** First line touched. */
  startLine: number;
  /** Last line touched (inclusive). */
  endLine: number;
  /** Line breaks in the inserted text. */
  insertedLineBreaks: number;
  /**
   * True when the edit removes nothing and inserts text that begins with a line break at the very end
   * of `startLine` (a new line opened below it), so that line keeps its content.
   */
  atLineEnd?: boolean;
}

/** Where a hunk is now, and whether the user's edits touched its lines. */
export interface TrackedRange {
  /** First line (0-based) in the edited document. */
  start: number;
  /** Last line (inclusive). */
  end: number;
  /** True when the range is the anchor of a pure insertion. */
  insertion: boolean;
  /** True when some edit changed one of the hunk's lines. */
  conflict: boolean;
}

/** Lines an edit adds (negative: removes). */
export function lineDelta(edit: LineEdit): number {
  return edit.insertedLineBreaks - (edit.endLine - edit.startLine);
}

/**
 * Maps a hunk's range in the saved document through the user's unsaved edits, in the order they were
 * made. Edits wholly below the hunk leave it; edits wholly above shift it by the lines they add or
 * remove; an edit that touches one of its lines marks it as a conflict (its lines are no longer what
 * the proposal replaces). New lines started at the end of the hunk's last line leave it alone, except
 * for a pure insertion, whose proposed lines go exactly there.
 */
export function trackRange(range: HunkLineRange, edits: readonly LineEdit[]): TrackedRange {
  let { start, end } = range;
  let conflict = false;
  for (const edit of edits) {
    const delta = lineDelta(edit);
    const opensLineBelow = edit.atLineEnd === true && edit.startLine === end && !range.insertion;
    if (edit.startLine > end || opensLineBelow) {
      continue;
    }
    if (edit.endLine < start) {
      start += delta;
      end += delta;
      continue;
    }
    conflict = true;
    end = Math.max(start, end + delta);
  }
  return { start, end, insertion: range.insertion, conflict };
}

/**
 * Turns a document change into a line edit. `startLine`/`startCharacter` and `endLine`/`endCharacter`
 * are the replaced range, `text` the inserted text and `startLineLength` the length of the start line
 * before the change.
 */
export function toLineEdit(change: { startLine: number; startCharacter: number; endLine: number; endCharacter: number; text: string }, startLineLength: number): LineEdit {
  const insertedLineBreaks = (change.text.match(/\r\n|\r|\n/gu) ?? []).length;
  const removesNothing = change.startLine === change.endLine && change.startCharacter === change.endCharacter;
  const atLineEnd = removesNothing && change.startCharacter >= startLineLength && /^(\r\n|\r|\n)/u.test(change.text);
  return { startLine: change.startLine, endLine: change.endLine, insertedLineBreaks, ...(atLineEnd ? { atLineEnd } : {}) };
}
