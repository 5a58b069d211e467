// Pure ledger-view logic of the extension: entry kind styles, the timeline filter, timeline paging, the
// replay/drift/verify report texts and the status bar's ledger health.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const kinds = await importExtensionModule('entryKinds');
const filter = await importExtensionModule('timeline/timelineFilter');
const paging = await importExtensionModule('timeline/timelinePaging');
const reports = await importExtensionModule('ledger/ledgerReports');
const health = await importExtensionModule('ledger/ledgerHealthText');
const fileChanges = await importExtensionModule('ledger/fileChanges');

const entry = (seq, kind = 'commit', actor = 'human:ana', paths = []) => ({
  seq, kind, actor, time: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`, hash: `h${seq}`, summary: `${kind} ${seq}`, proposalId: null, paths,
});
const page = (seqs, nextBeforeSeq = null) => ({ entries: seqs.map((s) => entry(s)), nextBeforeSeq, headSeq: Math.max(0, ...seqs) });
const seqs = (loaded) => loaded.entries.map((e) => e.seq);

test('every entry kind of the ledger format has its own icon; unknown kinds get a neutral one', () => {
  const icons = kinds.allEntryKinds.map((k) => kinds.entryKindStyle(k).icon);
  assert.equal(kinds.allEntryKinds.length, 12);
  assert.equal(new Set(icons).size, icons.length);
  assert.equal(kinds.entryKindStyle('commit').icon, 'git-commit');
  assert.deepEqual(kinds.entryKindStyle('some.future-kind'), { label: 'some.future-kind', icon: 'circle-small' });
});

test('only commits and reverts change files; agents are read from agent: actors', () => {
  assert.deepEqual(kinds.allEntryKinds.filter(kinds.changesFiles), ['commit', 'revert']);
  assert.equal(kinds.agentOfActor('agent:claude'), 'claude');
  assert.equal(kinds.agentOfActor('human:ana'), undefined);
  assert.equal(kinds.agentOfActor('policy:auto'), undefined);
});

test('the timeline filter is described in one line and becomes listEntries params', () => {
  assert.equal(filter.isFilterEmpty({}), true);
  assert.equal(filter.isFilterEmpty({ agent: '', kinds: [] }), true);
  assert.equal(filter.describeFilter({}), '');
  assert.equal(filter.describeFilter({ agent: 'claude', path: 'src/a.ts', kinds: ['commit', 'revert'] }), 'agent claude · file src/a.ts · Commit, Revert');
  assert.deepEqual(filter.listParams({}, null, 100), { beforeSeq: null, limit: 100, agent: null, path: null, kinds: null });
  assert.deepEqual(filter.listParams({ agent: 'claude', kinds: ['commit'] }, 40, 50), { beforeSeq: 40, limit: 50, agent: 'claude', path: null, kinds: ['commit'] });
});

test('older pages are appended below, without duplicates, and carry the next cursor', () => {
  const first = { entries: page([10, 9, 8]).entries, nextBeforeSeq: 8 };
  const more = paging.appendOlderPage(first, page([8, 7, 6], 6));
  assert.deepEqual(seqs(more), [10, 9, 8, 7, 6]);
  assert.equal(more.nextBeforeSeq, 6);
  assert.equal(paging.appendOlderPage(more, page([5])).nextBeforeSeq, null);
});

test('new entries are merged on top and keep the loaded older pages', () => {
  const loaded = { entries: page([10, 9, 8, 7]).entries, nextBeforeSeq: 7 };
  const merged = paging.mergeNewestPage(loaded, page([12, 11, 10], 10), 3);
  assert.deepEqual(seqs(merged), [12, 11, 10, 9, 8, 7]);
  assert.equal(merged.nextBeforeSeq, 7);
  assert.deepEqual(seqs(paging.mergeNewestPage(paging.noEntries, page([3, 2], null), 3)), [3, 2]);
});

test('a full page of only newer entries may leave a gap, so it replaces what was loaded', () => {
  const loaded = { entries: page([10, 9]).entries, nextBeforeSeq: 9 };
  const merged = paging.mergeNewestPage(loaded, page([20, 19, 18], 18), 3);
  assert.deepEqual(seqs(merged), [20, 19, 18]);
  assert.equal(merged.nextBeforeSeq, 18);
});

const verified = { valid: true, entriesChecked: 12, blobsChecked: 4, anchorChecked: true, problems: [] };
const broken = { valid: false, entriesChecked: 12, blobsChecked: 4, anchorChecked: true, problems: [
  { seq: 7, code: 'hash-mismatch', message: 'the stored hash differs from the recomputed one' },
  { seq: null, code: 'anchor-not-reached', message: 'the ledger ends before the head anchor' },
] };

test('the verification summary says verified with 0 problems, or names every problem with its seq', () => {
  assert.equal(reports.verifySummary(verified), 'Verified: 0 problems (12 entries, 4 blobs checked, head anchor compared)');
  assert.equal(reports.verifySummary(broken), 'NOT verified: 2 problems (12 entries, 4 blobs checked, head anchor compared)');
  assert.equal(reports.problemLine(broken.problems[0]), '- entry #7 — `hash-mismatch`: the stored hash differs from the recomputed one');
  assert.match(reports.problemLine(broken.problems[1]), /^- whole ledger — `anchor-not-reached`/);
});

test('the replay report shows verification, the replayed world and drift', () => {
  const text = reports.replayReportMarkdown({
    folderName: 'ws', generatedAt: new Date('2026-01-02T03:04:05Z'), verify: verified,
    replay: { seq: 12, files: [{ path: 'app.txt', hash: 'a'.repeat(64) }, { path: 'old.txt', hash: null }] },
    drift: { seq: 12, items: [] },
  });
  assert.match(text, /^# Ledger replay report — ws\n/);
  assert.match(text, /\*\*Verified: 0 problems \(12 entries/);
  assert.match(text, /Replayed 12 entries \(up to #12\): 1 file\(s\) in the rebuilt world, 1 deleted by the ledger\./);
  assert.match(text, /- `app.txt` `aaaaaaaaaaaa`/);
  assert.match(text, /- `old.txt` \(deleted\)/);
  assert.match(text, /No drift: every file the ledger knows matches the disk \(ledger head #12\)\./);
});

test('a failed verification and drift appear in the reports with seqs', () => {
  const text = reports.replayReportMarkdown({ folderName: 'ws', generatedAt: new Date(0), verify: broken });
  assert.match(text, /\*\*NOT verified: 2 problems/);
  assert.match(text, /- entry #7 — `hash-mismatch`/);
  assert.match(text, /## Replay\n\nNot replayed\./);
  const drift = reports.driftReportMarkdown('ws', { seq: 9, items: [{ path: 'a.txt', kind: 'changedOutsideLedger', expected: 'b'.repeat(64), actual: 'c'.repeat(64), lastEntrySeq: 5 }] }, new Date(0));
  assert.match(drift, /1 file\(s\) differ from the ledger at #9/);
  assert.match(drift, /\| `a.txt` \| changed outside the ledger \| entry #5 \| `bbbbbbbbbbbb` \| `cccccccccccc` \|/);
  assert.match(reports.verifyReportMarkdown('ws', broken, new Date(0)), /anchor-not-reached/);
});

test('the status bar shows nothing before a verification, "ledger verified", or the problem count over folders', () => {
  assert.deepEqual(health.healthText([]), { text: '', tooltip: '', problems: 0 });
  assert.deepEqual(health.healthText([{ folderName: 'a' }]), { text: '', tooltip: '', problems: 0 });
  const ok = health.healthText([{ folderName: 'a', result: verified }]);
  assert.equal(ok.text, '$(verified) ledger verified');
  assert.equal(ok.problems, 0);
  assert.match(ok.tooltip, /a verified \(12 entries\)/);
  const bad = health.healthText([{ folderName: 'a', result: verified }, { folderName: 'b', result: broken }]);
  assert.equal(bad.text, '$(error) ledger: 2 problems');
  assert.equal(bad.problems, 2);
  assert.match(bad.tooltip, /b 2 problem\(s\)/);
});

test('the file changes of a commit or revert payload are read with their before and after hashes', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  assert.deepEqual(fileChanges.fileChangesOf({ files: [
    { path: 'app.txt', before: a, after: b, mode: null },
    { path: 'new.txt', before: null, after: a },
    { path: 'gone.txt', before: b, after: null },
    { path: 42 },
  ] }), [
    { path: 'app.txt', before: a, after: b },
    { path: 'new.txt', before: null, after: a },
    { path: 'gone.txt', before: b, after: null },
  ]);
  assert.equal(fileChanges.fileChangesOf({ writId: 'w' }), undefined);
  assert.equal(fileChanges.fileChangesOf(null), undefined);
});
