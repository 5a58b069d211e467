// The extension's approve and reject params name the revision and the hunk digests the editor showed (extension/src/review/reviewPin.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const pin = await importExtensionModule('review/reviewPin');

const hunk = (id, digest, status = 'pending') => ({ id, baseStart: 0, removed: [], added: ['x\n'], status, digest });
const shown = {
  proposal: { proposalId: 'p_1', revision: 3 },
  files: [
    { path: 'a.txt', hunks: [hunk('h1', 'a1'.repeat(32)), hunk('h2', 'a2'.repeat(32), 'approved')] },
    { path: 'b.txt', hunks: [hunk('h1', 'b1'.repeat(32))] },
  ],
  policy: { hash: '', outcome: '', trace: [] },
};

test('approving one hunk names the shown revision and only that hunk\'s digest', { timeout: 10000 }, () => {
  assert.deepEqual(pin.approveParams(shown, { proposalId: 'p_1', hunks: ['a.txt#h1'], revision: 3 }), {
    proposalId: 'p_1', revision: 3, files: null, hunks: ['a.txt#h1'], hunkDigests: { 'a.txt#h1': 'a1'.repeat(32) },
  });
});

test('approving a file names the digest of every hunk of that file; approving everything names every hunk', { timeout: 10000 }, () => {
  assert.deepEqual(pin.approveParams(shown, { proposalId: 'p_1', files: ['a.txt'] }).hunkDigests, { 'a.txt#h1': 'a1'.repeat(32), 'a.txt#h2': 'a2'.repeat(32) });
  assert.deepEqual(Object.keys(pin.approveParams(shown, { proposalId: 'p_1' }).hunkDigests).sort(), ['a.txt#h1', 'a.txt#h2', 'b.txt#h1']);
  assert.equal(pin.approveParams(shown, { proposalId: 'p_1' }).revision, 3);
});

test('a CodeLens drawn from an older revision sends that revision and no digests, so the sidecar refuses it', { timeout: 10000 }, () => {
  const params = pin.approveParams(shown, { proposalId: 'p_1', hunks: ['a.txt#h1'], revision: 2 });
  assert.equal(params.revision, 2);
  assert.equal(params.hunkDigests, null);
});

test('rejecting pins the same way and carries the reason', { timeout: 10000 }, () => {
  assert.deepEqual(pin.rejectParams(shown, { proposalId: 'p_1', files: ['b.txt'], revision: 3 }, 'rejected in VS Code'), {
    proposalId: 'p_1', revision: 3, files: ['b.txt'], hunks: null, reason: 'rejected in VS Code', hunkDigests: { 'b.txt#h1': 'b1'.repeat(32) },
  });
});
