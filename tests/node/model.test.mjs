// Pure review logic of the extension: hunk line ranges and the pending tree's grouping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const model = await importExtensionModule('review/model');

const hunk = (id, baseStart, removed, added, status = 'pending') => ({ id, baseStart, removed, added, status });

test('a changed hunk covers its removed lines, from baseStart', () => {
  assert.deepEqual(model.hunkLineRange(hunk('h1', 3, ['a\n', 'b\n'], ['c\n'])), { start: 3, end: 4, insertion: false });
  assert.deepEqual(model.hunkLineRange(hunk('h1', 0, ['a\n'], [])), { start: 0, end: 0, insertion: false });
});

test('a pure insertion is anchored on the line before baseStart (or line 0)', () => {
  assert.deepEqual(model.hunkLineRange(hunk('h1', 5, [], ['x\n'])), { start: 4, end: 4, insertion: true });
  assert.deepEqual(model.hunkLineRange(hunk('h1', 0, [], ['x\n'])), { start: 0, end: 0, insertion: true });
});

test('approved hunks above shift a hunk by their added minus removed lines; pending and later ones do not', () => {
  const h1 = hunk('h1', 1, ['a\n'], ['a\n', 'b\n', 'c\n'], 'approved');
  const h2 = hunk('h2', 2, ['d\n'], [], 'pending');
  const h3 = hunk('h3', 10, ['e\n', 'f\n'], ['g\n']);
  const h4 = hunk('h4', 20, ['z\n'], [], 'approved');
  assert.deepEqual(model.hunkLineRange(h3, [h1, h2, h3, h4]), { start: 12, end: 13, insertion: false });
  assert.deepEqual(model.hunkLineRange(h2, [h1, h2, h3, h4]), { start: 4, end: 4, insertion: false });
});

test('selectors and terminators', () => {
  assert.equal(model.hunkSelector('src/app.ts', 'h2'), 'src/app.ts#h2');
  assert.equal(model.stripTerminator('x\r\n'), 'x');
  assert.equal(model.stripTerminator('x\n'), 'x');
  assert.equal(model.stripTerminator('x'), 'x');
});

const proposal = (id, agent, createdAt, files, status = 'pending') => ({
  proposalId: id, revision: 1, status, agent, session: 's', writId: 'w', description: '', createdAt, updatedAt: createdAt, files,
});
const file = (path, hunkCount, pendingCount, effect = 'modify') => ({ path, effect, hunkCount, pendingCount });

test('pending proposals are grouped by agent (sorted), then file, newest proposal first; decided files and proposals are left out', () => {
  const groups = model.groupPending([
    proposal('p1', 'zed', '2026-01-01T00:00:00Z', [file('a.ts', 2, 2)]),
    proposal('p2', 'claude', '2026-01-01T00:00:00Z', [file('b.ts', 3, 1), file('c.ts', 1, 0)]),
    proposal('p3', 'claude', '2026-01-02T00:00:00Z', [file('d.ts', 1, 1, 'create')]),
    proposal('p4', 'claude', '2026-01-03T00:00:00Z', [file('e.ts', 1, 1)], 'rejected'),
    proposal('p5', 'zed', '2026-01-04T00:00:00Z', [file('f.ts', 4, 2)], 'partiallyApproved'),
  ]);
  assert.deepEqual(groups.map((g) => [g.agent, g.pendingCount, g.files.map((f) => `${f.proposal.proposalId}:${f.path}`)]), [
    ['claude', 2, ['p3:d.ts', 'p2:b.ts']],
    ['zed', 4, ['p5:f.ts', 'p1:a.ts']],
  ]);
  assert.equal(model.countPending([proposal('p1', 'a', '2026-01-01T00:00:00Z', [file('a', 2, 2), file('b', 1, 1)])]), 3);
  assert.deepEqual(model.groupPending([]), []);
});

test('ages and plurals', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  assert.equal(model.formatAge('2026-01-10T11:59:30Z', now), 'just now');
  assert.equal(model.formatAge('2026-01-10T11:55:00Z', now), '5m ago');
  assert.equal(model.formatAge('2026-01-10T09:00:00Z', now), '3h ago');
  assert.equal(model.formatAge('2026-01-07T12:00:00Z', now), '3d ago');
  assert.equal(model.formatAge('nonsense', now), '');
  assert.equal(model.plural(1, 'hunk'), '1 hunk');
  assert.equal(model.plural(2, 'hunk'), '2 hunks');
});

test('a hunk matches the document only while the document shows the lines it removes', () => {
  const lines = ['one', 'two', 'three'];
  const lineAt = (i) => lines[i];
  const h = hunk('h1', 1, ['two\n', 'three\n'], ['2\n']);
  assert.equal(model.hunkMatchesDocument(h, model.hunkLineRange(h), lineAt), true);
  lines[2] = 'THREE (edited)';
  assert.equal(model.hunkMatchesDocument(h, model.hunkLineRange(h), lineAt), false);
  const past = hunk('h2', 5, ['x\n'], []);
  assert.equal(model.hunkMatchesDocument(past, model.hunkLineRange(past), lineAt), false);
  const insertion = hunk('h3', 1, [], ['new\n']);
  assert.equal(model.hunkMatchesDocument(insertion, model.hunkLineRange(insertion), lineAt), true);
});

test('a stale proposal stays listed, every file marked stale, with nothing counted pending', () => {
  const groups = model.groupPending([
    proposal('p1', 'claude', '2026-01-01T00:00:00Z', [file('a.ts', 2, 0)], 'stale'),
    proposal('p2', 'claude', '2026-01-02T00:00:00Z', [file('b.ts', 1, 1)]),
  ]);
  assert.deepEqual(groups.map((g) => [g.agent, g.pendingCount, g.files.map((f) => `${f.path}:${f.stale}`)]), [['claude', 1, ['b.ts:false', 'a.ts:true']]]);
  assert.equal(model.countPending([proposal('p1', 'a', '2026-01-01T00:00:00Z', [file('a', 2, 0)], 'stale')]), 0);
});

test('the proposed text leaves rejected hunks out, and a hunk\'s proposed line counts only the hunks kept above it', () => {
  const detail = (hunks) => ({ path: 'a', effect: 'modify', binary: false, baseText: 'a\nb\nc\nd\n', proposedText: 'A\nb\nC\nd\n', hunks });
  const h1 = hunk('h1', 0, ['a\n'], ['A\n', 'A2\n']);
  const h2 = hunk('h2', 2, ['c\n'], ['C\n']);
  assert.equal(model.proposedTextOf(detail([h1, h2])), 'A\nb\nC\nd\n');
  assert.equal(model.proposedTextOf(detail([{ ...h1, status: 'rejected' }, h2])), 'a\nb\nC\nd\n');
  assert.equal(model.proposedLineOf(h2, [h1, h2]), 3);
  assert.equal(model.proposedLineOf(h2, [{ ...h1, status: 'rejected' }, h2]), 2);
  assert.deepEqual(model.splitLines('x\r\ny\nz'), ['x\r\n', 'y\n', 'z']);
});
