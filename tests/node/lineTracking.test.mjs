// Pending hunks follow the user's unsaved edits; edits inside a hunk's lines make it a conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const tracking = await importExtensionModule('review/lineTracking');

const range = (start, end, insertion = false) => ({ start, end, insertion });
const edit = (startLine, endLine, insertedLineBreaks, atLineEnd = false) => ({ startLine, endLine, insertedLineBreaks, ...(atLineEnd ? { atLineEnd } : {}) });
const check = (r, edits, expected) => assert.deepEqual(tracking.trackRange(r, edits), { ...expected, insertion: r.insertion });

test('edits below a hunk leave it where it is', () => {
  check(range(3, 4), [edit(10, 10, 0), edit(5, 7, 0)], { start: 3, end: 4, conflict: false });
});

test('lines added or removed above a hunk shift it', () => {
  check(range(3, 4), [edit(0, 0, 2)], { start: 5, end: 6, conflict: false });
  check(range(3, 4), [edit(0, 2, 0)], { start: 1, end: 2, conflict: false });
  check(range(3, 4), [edit(0, 0, 2), edit(1, 1, 0), edit(0, 3, 0)], { start: 2, end: 3, conflict: false });
  // Enter at the end of the line just above the hunk opens a line above it.
  check(range(3, 4), [edit(2, 2, 1, true)], { start: 4, end: 5, conflict: false });
});

test('typing in, joining into or deleting across a hunk\'s lines is a conflict', () => {
  check(range(3, 4), [edit(4, 4, 0)], { start: 3, end: 4, conflict: true });
  check(range(3, 4), [edit(2, 3, 0)], { start: 3, end: 3, conflict: true });
  check(range(3, 4), [edit(1, 8, 0)], { start: 3, end: 3, conflict: true });
  check(range(3, 4), [edit(3, 3, 2)], { start: 3, end: 6, conflict: true });
});

test('a new line opened at the end of a changed hunk\'s last line is not a conflict, but it is for an insertion\'s anchor', () => {
  check(range(3, 4), [edit(4, 4, 1, true)], { start: 3, end: 4, conflict: false });
  check(range(6, 6, true), [edit(6, 6, 1, true)], { start: 6, end: 7, conflict: true });
});

test('a conflict stays a conflict through later edits above, which still shift it', () => {
  check(range(3, 4), [edit(3, 3, 0), edit(0, 0, 1)], { start: 4, end: 5, conflict: true });
});

test('document changes become line edits', () => {
  const change = (startLine, startCharacter, endLine, endCharacter, text) => ({ startLine, startCharacter, endLine, endCharacter, text });
  assert.deepEqual(tracking.toLineEdit(change(2, 5, 2, 5, '\nnew'), 5), edit(2, 2, 1, true));
  assert.deepEqual(tracking.toLineEdit(change(2, 5, 2, 5, 'x'), 5), edit(2, 2, 0));
  assert.deepEqual(tracking.toLineEdit(change(2, 1, 4, 0, 'a\r\nb\nc'), 9), edit(2, 4, 2));
  assert.deepEqual(tracking.toLineEdit(change(2, 3, 2, 3, '\n'), 5), edit(2, 2, 1));
});
