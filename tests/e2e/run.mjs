// Real-editor end-to-end test for the OpenThymos VS Code extension.
// A real VS Code workbench (code-server 4.139.1, Node 24) with the packaged .vsix installed, driven by
// headless Debian Chromium through playwright-core; a scripted agent (agent.mjs) talks to the sidecar the
// extension started. Tools come from tests/e2e/setup.sh. This script builds nothing.
//
// Usage: node tests/e2e/run.mjs [path/to/openthymos-*.vsix]   (default: newest *.vsix in the repo root)
// Env:   OPENTHYMOS_E2E_TOOLS  tools dir (default /var/tmp/openthymos-e2e-tools)
//        OPENTHYMOS_E2E_KEEP=1 keep the state dir even when everything passed
// Prints `ok   - …` / `FAIL - …` per check and `N passed, M failed`; exits 1 on any failure, keeping the
// state dir (code-server.log, browser-console.log, ud/logs, failure screenshot). Screenshots of every step
// go to tests/e2e/artifacts/.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueWrit, operatorRequest, proposeEdits, waitForSidecar } from './agent.mjs';
import { Checks, createState, installVsix, inputs, openBrowser, poll, sleep, startCodeServer, workbench } from './harness.mjs';

const tool = inputs(process.argv[2]);
const run = createState();
const dirs = { ...run.dirs, ws: join(run.state, 'ws') };
mkdirSync(dirs.ws);
const checks = new Checks('main', run.dirs.shots);
const elapsed = () => checks.elapsed();
console.log(`# vsix: ${tool.vsix}`);
console.log(`# state dir: ${run.state}`);

// The demo workspace. app.txt gets a two-hunk proposal (lines 3 and 16, far enough apart to be two hunks).
const appLines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}: ${['alpha', 'beta', 'gamma', 'delta'][i % 4]}`);
const appOriginal = appLines.join('\n') + '\n';
writeFileSync(join(dirs.ws, 'app.txt'), appOriginal);
writeFileSync(join(dirs.ws, 'notes.txt'), 'Notes\n=====\n\nfirst note\nsecond note\n');
writeFileSync(join(dirs.ws, 'README.md'), '# Demo workspace\n\nFor the OpenThymos e2e test.\n');
// Files for steps j-l (amend, stale, conflict), written now so that quick open has indexed them by then.
const amendOriginal = 'first line\nsecond line\nthird line\n';
const staleLines = Array.from({ length: 10 }, (_, i) => `stale line ${i + 1}`);
const conflictOriginal = Array.from({ length: 10 }, (_, i) => `conflict line ${i + 1}`).join('\n') + '\n';
writeFileSync(join(dirs.ws, 'amend.txt'), amendOriginal);
writeFileSync(join(dirs.ws, 'stale.txt'), staleLines.join('\n') + '\n');
writeFileSync(join(dirs.ws, 'conflict.txt'), conflictOriginal);
const hiddenOriginal = '#!/bin/sh\necho safe\n';
writeFileSync(join(dirs.ws, 'hidden.sh'), hiddenOriginal);
// Step t: the file a changed policy denies, so whether that policy is in force shows in what the agent may propose.
const probeOriginal = 'policy probe\n';
writeFileSync(join(dirs.ws, 'policy-probe.txt'), probeOriginal);
const hunk1 = { search: 'line 3: gamma', replace: 'line 3: GAMMA (approved by e2e)' };
const hunk2 = { search: 'line 16: delta', replace: 'line 16: DELTA (to be rejected)' };
const afterHunk1 = appOriginal.replace(hunk1.search, hunk1.replace);

// ---------------------------------------------------------------- checks
let page;
let ui;
const results = checks.results;
const waitStatus = (n, timeoutMs = 30000) => ui.waitStatus(`${n} pending`, timeoutMs);

// What N in the status bar's "OpenThymos: N pending" counts. The extension counts pending hunks (its tooltip
// says "N pending hunk(s)"); the sidecar is asked for the same number, so the status bar must agree with it.
async function sidecarPendingHunks() {
  const list = await operatorRequest(sidecar, 'proposal/list', { statuses: ['pending', 'partiallyApproved'] });
  let hunks = 0;
  for (const p of list.proposals) {
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: p.proposalId });
    for (const f of detail.files) hunks += f.hunks.filter((h) => h.status === 'pending').length;
  }
  return hunks;
}

async function lineY(text) {
  const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: text }).first();
  const box = await line.boundingBox();
  return box ? { y: box.y, h: box.height } : null;
}

const readApp = () => readFileSync(join(dirs.ws, 'app.txt'), 'utf8');
// ---------------------------------------------------------------- run
let server;
let context;
let sidecar;
let writToken;
let proposalId;
let exitCode = 1;
try {
  installVsix(tool, run);
  console.log(`# installed the vsix (${elapsed()})`);
  server = await startCodeServer(tool, run);
  console.log(`# code-server listening on 127.0.0.1:${server.port} (${elapsed()})`);
  ({ context, page } = await openBrowser(tool, run, 'browser'));
  checks.page = page;
  ui = workbench(page);
  await page.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(dirs.ws)}`);

  await checks.check('a', 'workbench loads and the OpenThymos activity-bar icon appears', [], async () => {
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await ui.activityIcon().waitFor({ state: 'visible', timeout: 60000 });
    return `at ${elapsed()}`;
  });

  await checks.check('b', 'the folder has not opted in ("OpenThymos: not enabled", no .thymos/); "Enable in This Folder" starts the sidecar; "OpenThymos: 0 pending"', ['a'], async () => {
    await page.locator('.statusbar-item', { hasText: 'OpenThymos: not enabled' }).first().waitFor({ state: 'visible', timeout: 90000 });
    if (existsSync(join(dirs.ws, '.thymos')) || readdirSync(dirs.keys).length > 0) throw new Error('a sidecar started in a folder that did not opt in');
    await ui.openContainer();
    await page.locator('.part.sidebar .welcome-view-content', { hasText: 'OpenThymos is not enabled in this folder' }).first().waitFor({ state: 'visible', timeout: 20000 });
    await checks.shot('b0-folder-not-enabled');
    await ui.runCommand('OpenThymos: Enable in This Folder');
    sidecar = await waitForSidecar(dirs.keys, 90000);
    await waitStatus(0, 60000);
    await ui.openContainer();
    const rows = await ui.pendingRows().count();
    if (rows !== 0) throw new Error(`Pending view has ${rows} rows, expected none: ${(await ui.pendingRows().allInnerTexts()).join(' | ')}`);
    return `workspace ${sidecar.workspaceId}, at ${elapsed()}`;
  });

  await checks.check('c', 'agent submits a two-hunk proposal; status bar shows 2 pending (hunks); Pending view lists app.txt', ['b'], async () => {
    writToken = await issueWrit(sidecar);
    const submitted = await proposeEdits(sidecar, writToken, 'app.txt', [hunk1, hunk2], 'e2e: two hunks in app.txt');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: submitted.proposalId });
    const hunks = detail.files?.[0]?.hunks?.length;
    if (hunks !== 2) throw new Error(`the proposal has ${hunks} hunks, expected 2`);
    await waitStatus(2); // two pending hunks
    await ui.openContainer();
    await poll('a Pending row with app.txt', async () => (await ui.pendingRows().allInnerTexts()).some((t) => t.includes('app.txt')), 20000);
    if (readApp() !== appOriginal) throw new Error('app.txt changed before any approval');
    proposalId = submitted.proposalId;
    return `proposal ${submitted.proposalId}`;
  });

  await checks.check('d', 'open app.txt: CodeLens "Approve" appears above the first hunk\'s line', ['c'], async () => {
    await ui.openFile('app.txt');
    const approve = await poll('two Approve CodeLenses', async () => { const l = await ui.lenses('Approve'); return l.length >= 2 ? l : null; }, 30000);
    if (approve.length !== 2) throw new Error(`${approve.length} Approve CodeLenses, expected 2`);
    const line = await lineY(hunk1.search);
    if (!line) throw new Error(`line "${hunk1.search}" is not rendered`);
    const gap = line.y - approve[0].y;
    if (gap <= 0 || gap > line.h * 2.5) throw new Error(`first Approve lens at y=${approve[0].y}, hunk line at y=${line.y}: not directly above`);
    for (const word of ['Reject', 'Diff']) {
      if ((await ui.lenses(word)).length < 1) throw new Error(`no "${word}" CodeLens`);
    }
    return `lens ${gap.toFixed(0)} px above line 3`;
  });

  await checks.check('e', 'click the first hunk\'s Approve: exactly that hunk is written to disk; the other stays pending', ['d'], async () => {
    // The lens is chosen by the line under it, not by DOM order (Monaco recycles lens nodes). A CodeLens can
    // still re-render just as it is clicked, swallowing the click. Click again only while the sidecar still
    // reports both hunks pending and the file is untouched, so a second approval is impossible.
    for (let attempt = 0; attempt < 4; attempt++) {
      if (!await ui.clickLensAbove('Approve', hunk1.search)) {
        await sleep(300); // not rendered at this instant; measure again
        continue;
      }
      const landed = await poll('the approval to land', async () => readApp() === afterHunk1, 5000).then(() => true, () => false);
      if (landed) break;
      const pending = await operatorRequest(sidecar, 'proposal/get', { proposalId });
      if (pending.files[0].hunks.some((h) => h.status !== 'pending') || readApp() !== appOriginal) break;
    }
    await poll('app.txt to contain exactly hunk 1', async () => readApp() === afterHunk1, 30000).catch(async (e) => {
      throw new Error(`${e.message}; app.txt is now:\n${readApp()}`);
    });
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId });
    const statuses = detail.files[0].hunks.map((h) => h.status).join(',');
    if (statuses !== 'approved,pending') throw new Error(`hunk statuses are ${statuses}, expected approved,pending`);
    await waitStatus(1); // one pending hunk left
    await poll('one Approve CodeLens left', async () => (await ui.lenses('Approve')).length === 1, 20000);
    await sleep(1000);
    if (readApp() !== afterHunk1) throw new Error('app.txt changed again after the approval');
  });

  await checks.check('f', 'Reject the other hunk via its CodeLens: app.txt stays byte-identical, nothing pending', ['e'], async () => {
    const reject = await poll('the Reject CodeLens', async () => { const l = await ui.lenses('Reject'); return l.length === 1 ? l : null; }, 20000);
    for (let attempt = 0; ; attempt++) {
      try {
        await (await ui.lenses('Reject'))[0].link.click({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await sleep(300);
      }
    }
    // The extension may ask for a reason; accept the quick input if one shows.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    if (await input.isVisible({ timeout: 1500 }).catch(() => false)) await page.keyboard.press('Enter');
    await waitStatus(0);
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId });
    const statuses = detail.files[0].hunks.map((h) => h.status).join(',');
    if (statuses !== 'approved,rejected') throw new Error(`hunk statuses are ${statuses}, expected approved,rejected`);
    await poll('no CodeLenses left', async () => (await ui.lenses('Approve')).length === 0 && (await ui.lenses('Reject')).length === 0, 20000);
    await sleep(1000);
    if (readApp() !== afterHunk1) throw new Error(`app.txt changed on reject; it is now:\n${readApp()}`);
  });

  await checks.check('g', '"OpenThymos: Verify Ledger" from the command palette shows a "verified"/"intact" notification', ['b'], async () => {
    await page.keyboard.press('Escape');
    await ui.runCommand('OpenThymos: Verify Ledger');
    const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /verified|intact/i });
    await toast.first().waitFor({ state: 'visible', timeout: 60000 });
    await sleep(500);
    const text = (await toast.first().innerText()).trim();
    if (/not verified|invalid|fail|problem/i.test(text) && !/0 problems/i.test(text)) throw new Error(`notification says: ${text}`);
    return `"${text}"`;
  });

  await checks.check('h', 'a new pending proposal is still listed after "Developer: Reload Window"', ['b'], async () => {
    writToken ??= await issueWrit(sidecar);
    const submitted = await proposeEdits(sidecar, writToken, 'notes.txt', [{ search: 'second note', replace: 'second note, edited by e2e' }], 'e2e: before reload');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    // Earlier steps may have left proposals pending when they failed; expect the sidecar's count.
    const pendingCount = await sidecarPendingHunks();
    await waitStatus(pendingCount);
    await page.keyboard.press('Escape');
    await page.evaluate(() => { window.__openThymosE2eBeforeReload = true; });
    await ui.runCommand('Developer: Reload Window');
    // The old workbench goes away (its window marker with it); wait for the new one and the extension again.
    await poll('the window to reload', async () => !(await page.evaluate(() => window.__openThymosE2eBeforeReload === true)), 60000);
    await page.waitForLoadState('domcontentloaded', { timeout: 60000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90000 });
    await ui.activityIcon().waitFor({ state: 'visible', timeout: 90000 });
    await waitStatus(pendingCount, 90000);
    await ui.openContainer();
    await poll('a Pending row with notes.txt after reload', async () => (await ui.pendingRows().allInnerTexts()).some((t) => t.includes('notes.txt')), 30000);
    if (readFileSync(join(dirs.ws, 'notes.txt'), 'utf8').includes('edited by e2e')) throw new Error('notes.txt was written without approval');
  });

  await checks.check('i', '"OpenThymos: Approve All Pending" (modal confirm) writes the reloaded proposal; status bar back to 0', ['h'], async () => {
    const notesBefore = readFileSync(join(dirs.ws, 'notes.txt'), 'utf8');
    await page.keyboard.press('Escape');
    await ui.runCommand('OpenThymos: Approve All Pending');
    const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^\s*Approve All\s*$/ });
    await button.first().waitFor({ state: 'visible', timeout: 20000 });
    await button.first().click();
    const expected = notesBefore.replace('second note', 'second note, edited by e2e');
    await poll('notes.txt to contain the approved edit', async () => readFileSync(join(dirs.ws, 'notes.txt'), 'utf8') === expected, 30000);
    await waitStatus(0);
    if (results.find((r) => r.id === 'f')?.ok && readApp() !== afterHunk1) throw new Error('app.txt changed during Approve All');
  });

  await checks.check('j', 'Edit… opens the diff; typing in the proposal side and Ctrl+S records an amendment; approving writes the edited text', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 60000); // the window reload in (h) restarted the sidecar with a new operator token
    const original = amendOriginal;
    writToken ??= await issueWrit(sidecar);
    const submitted = await proposeEdits(sidecar, writToken, 'amend.txt', [{ search: 'second line', replace: 'second line, by the agent' }], 'e2e: to be amended');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    const amendId = submitted.proposalId;
    await page.keyboard.press('Escape');
    await ui.openFile('amend.txt');
    const edit = await poll('the Edit… CodeLens', async () => { const l = await ui.lenses('Edit…'); return l.length === 1 ? l : null; }, 30000);
    for (let attempt = 0; ; attempt++) {
      try {
        await ((attempt === 0 ? edit : await ui.lenses('Edit…'))[0]).link.click({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await sleep(300);
      }
    }
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 20000 });
    const proposedLine = page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: 'second line, by the agent' }).first();
    await proposedLine.waitFor({ state: 'visible', timeout: 20000 });
    await proposedLine.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' and the reviewer');
    await page.keyboard.press('Control+S');
    const amended = await poll('the amendment to be ledgered as revision 2', async () => {
      const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: amendId });
      return detail.proposal.revision === 2 ? detail : null;
    }, 30000);
    const entries = await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['proposal.staged'], limit: 20 });
    const entry = entries.entries.find((e) => e.proposalId === amendId && e.actor.startsWith('human:'));
    if (!entry) throw new Error(`no proposal.staged entry by a human for ${amendId}: ${JSON.stringify(entries.entries.map((e) => [e.seq, e.actor, e.proposalId]))}`);
    const expected = 'first line\nsecond line, by the agent and the reviewer\nthird line\n';
    if (amended.files[0].proposedText !== expected) throw new Error(`the amended revision proposes ${JSON.stringify(amended.files[0].proposedText)}`);
    if (readFileSync(join(dirs.ws, 'amend.txt'), 'utf8') !== original) throw new Error('amend.txt changed on disk before approval');
    await checks.shot('j1-amended-in-diff');
    // Back to amend.txt's own editor (its tab, not the diff's "amend.txt ↔ …").
    await page.locator('.tabs-container .tab', { hasText: 'amend.txt', hasNotText: '↔' }).first().click();
    await poll('the Approve CodeLens of the amended revision', async () => (await ui.lenses('Approve')).length === 1, 30000);
    for (let attempt = 0; attempt < 4; attempt++) {
      const [approve] = await ui.lenses('Approve');
      try {
        await approve.link.click({ timeout: 5000 });
      } catch {
        await sleep(300);
        continue;
      }
      if (await poll('the approval to land', async () => readFileSync(join(dirs.ws, 'amend.txt'), 'utf8') === expected, 5000).then(() => true, () => false)) break;
      const state = await operatorRequest(sidecar, 'proposal/get', { proposalId: amendId });
      if (state.proposal.status !== 'pending') break;
    }
    await poll('amend.txt to hold the amended text', async () => readFileSync(join(dirs.ws, 'amend.txt')).equals(Buffer.from(expected, 'utf8')), 30000)
      .catch((e) => { throw new Error(`${e.message}; amend.txt is ${JSON.stringify(readFileSync(join(dirs.ws, 'amend.txt'), 'utf8'))}`); });
    await poll('the editor to show the approved text with no lenses left', async () =>
      (await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'and the reviewer' }).count()) > 0 && (await ui.lenses('Approve')).length === 0, 30000);
    return `entry ${entry.seq} by ${entry.actor}`;
  });

  await checks.check('k', 'a file changed on disk in the proposal\'s lines: Pending shows it stale (warning), the sidecar reports stale, approving writes nothing', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 60000); // the window reload in (h) restarted the sidecar with a new operator token
    const lines = staleLines;
    writToken ??= await issueWrit(sidecar);
    const submitted = await proposeEdits(sidecar, writToken, 'stale.txt', [{ search: 'stale line 5', replace: 'stale line 5, by the agent' }], 'e2e: to go stale');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    const staleId = submitted.proposalId;
    await page.keyboard.press('Escape');
    await ui.openContainer();
    await poll('a Pending row with stale.txt', async () => (await ui.pendingRows().allInnerTexts()).some((t) => t.includes('stale.txt')), 20000);
    // The user changes the same line outside the proposal (another editor, a tool, a git checkout).
    const users = [...lines.slice(0, 4), 'stale line 5, changed by the user', ...lines.slice(5)].join('\n') + '\n';
    writeFileSync(join(dirs.ws, 'stale.txt'), users);
    const stale = await poll('the sidecar to report the proposal stale', async () => {
      const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: staleId });
      return detail.proposal.status === 'stale' ? detail : null;
    }, 30000);
    const row = ui.pendingRows().filter({ hasText: 'stale.txt' }).first();
    await poll('the stale.txt row to say stale', async () => /stale: file changed on disk/.test(await row.innerText()), 20000);
    if ((await row.locator('.codicon-warning').count()) === 0) throw new Error(`the stale row has no warning icon: ${await row.innerHTML()}`);
    await checks.shot('k1-stale-in-pending');
    let refused = null;
    try {
      await operatorRequest(sidecar, 'proposal/approve', { proposalId: staleId, revision: stale.proposal.revision });
    } catch (error) {
      refused = error;
    }
    if (!refused) throw new Error('approving the stale proposal was not refused');
    if (!/stale/.test(String(refused.message))) throw new Error(`the refusal does not say stale: ${refused.message}`);
    await sleep(1000);
    if (!readFileSync(join(dirs.ws, 'stale.txt')).equals(Buffer.from(users, 'utf8'))) throw new Error('stale.txt is not byte-identical to the user\'s version');
    // The row's inline Reject removes it from Pending (the runtime already refused it); the file stays the user's.
    await row.hover();
    await row.locator('.actions .action-label[aria-label^="Reject File"]').first().click({ timeout: 10000 });
    await poll('the stale row to leave the Pending view', async () => !(await ui.pendingRows().allInnerTexts()).some((t) => t.includes('stale.txt')), 20000);
    if (!readFileSync(join(dirs.ws, 'stale.txt')).equals(Buffer.from(users, 'utf8'))) throw new Error('stale.txt changed after Reject');
    return `refused: ${String(refused.message).slice(0, 80)}…`;
  });

  await checks.check('l', 'hunks (CodeLens, Pending line numbers, Next Pending Hunk) follow the user\'s unsaved edits; typing inside a pending hunk shows "Conflict: you edited these lines" and Approve is refused', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 60000); // the window reload in (h) restarted the sidecar with a new operator token
    const original = conflictOriginal;
    writToken ??= await issueWrit(sidecar);
    const submitted = await proposeEdits(sidecar, writToken, 'conflict.txt', [{ search: 'conflict line 6', replace: 'conflict line 6, by the agent' }], 'e2e: conflict');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    await page.keyboard.press('Escape');
    await ui.openFile('conflict.txt');
    await poll('the Approve CodeLens', async () => (await ui.lenses('Approve')).length === 1, 30000);
    // A new line typed at the top: the lens must still sit directly above "conflict line 6".
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'conflict line 1' }).first().click();
    await page.keyboard.press('Home');
    await page.keyboard.type('a line typed by the user');
    await page.keyboard.press('Enter');
    await poll('the Approve lens to stay above line 6', async () => {
      const [approve] = await ui.lenses('Approve');
      const line = await lineY('conflict line 6');
      return approve && line && line.y - approve.y > 0 && line.y - approve.y <= line.h * 2.5;
    }, 20000);
    // The Pending view's hunk row and "Next Pending Hunk" follow the unsaved edit too: the hunk is now on line 7.
    await ui.openContainer();
    const fileRow = ui.pendingRows().filter({ hasText: 'conflict.txt' }).first();
    await fileRow.waitFor({ state: 'visible', timeout: 20000 });
    if ((await fileRow.getAttribute('aria-expanded')) === 'false') await fileRow.locator('.monaco-tl-twistie').click();
    const hunkRow = ui.pendingRows().filter({ hasText: 'conflict line 6, by the agent' }).first();
    await poll('the Pending hunk row to say line 7', async () => /· line 7 ·/.test(await hunkRow.innerText()), 20000);
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'a line typed by the user' }).first().click();
    await page.keyboard.press('Control+Home');
    await ui.runCommand('OpenThymos: Next Pending Hunk');
    await poll('the cursor on line 7 after Next Pending Hunk', async () =>
      (await page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText()).includes('Ln 7,'), 20000);
    // Now type inside the hunk's line.
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'conflict line 6' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (edited by the user)');
    await poll('the Conflict CodeLens', async () => (await ui.lenses('\\$\\(warning\\) Conflict: you edited these lines').length) >= 1
      || (await page.locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: 'Conflict: you edited these lines' }).count()) >= 1, 20000);
    if ((await ui.lenses('Approve')).length !== 0) throw new Error('an Approve lens is still offered for the conflicting hunk');
    if ((await ui.lenses('Approve file \\(\\d+\\)')).length !== 0) throw new Error('an "Approve file" lens is still offered for a file whose only hunk conflicts');
    await poll('the Pending hunk row to say it conflicts', async () => /conflict: you edited these lines/.test(await hunkRow.innerText()), 20000);
    await checks.shot('l1-conflict-lens');
    await page.keyboard.press('Control+Alt+Enter');
    const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /refused: you edited lines/ });
    await toast.first().waitFor({ state: 'visible', timeout: 20000 });
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: submitted.proposalId });
    if (detail.files[0].hunks.some((h) => h.status !== 'pending')) throw new Error(`hunk statuses ${detail.files[0].hunks.map((h) => h.status)}`);
    await sleep(1000);
    if (readFileSync(join(dirs.ws, 'conflict.txt'), 'utf8') !== original) throw new Error('conflict.txt changed on disk');
    await checks.shot('l2-approve-refused');
    await page.keyboard.press('Escape');
    await ui.runCommand('File: Revert File');
  });

  await checks.check('m', 'the Ledger Timeline shows the commit of app.txt; clicking it opens its diff rebuilt from the ledger', ['e'], async () => {
    // The commit that applied hunk 1 (step e), as the sidecar records it. A window reload (step h) restarts the
    // sidecar with a new operator token, so read it again.
    sidecar = await waitForSidecar(dirs.keys, 30000);
    const commits = await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['commit'], path: 'app.txt', limit: 1000 });
    const commit = commits.entries.find((e) => e.proposalId === proposalId);
    if (!commit) throw new Error(`no commit entry of ${proposalId} for app.txt in the ledger: ${JSON.stringify(commits.entries.map((e) => e.seq))}`);
    await page.keyboard.press('Escape');
    await ui.openContainer();
    // Give the timeline the sidebar's height: collapse the other views of the container.
    for (const name of ['Pending', 'Agents and Writs']) {
      const header = page.locator('.part.sidebar .pane-header', { hasText: name }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const timelineHeader = page.locator('.part.sidebar .pane-header', { hasText: 'Ledger Timeline' }).first();
    await timelineHeader.waitFor({ state: 'visible', timeout: 20000 });
    if ((await timelineHeader.getAttribute('aria-expanded')) === 'false') await timelineHeader.click();
    const timelinePane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: 'Ledger Timeline' }) });
    const row = timelinePane.locator('.monaco-list-row[role="treeitem"]', { hasText: `#${commit.seq} ·` });
    await poll(`a Ledger Timeline row for commit #${commit.seq}`, async () => (await row.count()) > 0, 30000).catch(async (e) => {
      throw new Error(`${e.message}; the timeline shows: ${(await timelinePane.locator('.monaco-list-row').allInnerTexts()).join(' | ')}`);
    });
    const text = (await row.first().innerText()).replace(/\s+/g, ' ');
    if (!text.includes('Commit') || !text.includes('app.txt')) throw new Error(`the row of #${commit.seq} reads "${text}", expected "Commit · app.txt"`);
    await row.first().click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 30000 });
    await page.locator('.tabs-container .tab', { hasText: `app.txt (#${commit.seq} commit` }).first().waitFor({ state: 'visible', timeout: 20000 });
    const modified = page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: hunk1.replace });
    const original = page.locator('.monaco-diff-editor .editor.original .view-line', { hasText: hunk1.search });
    await poll('the diff\'s right side to show the approved hunk and its left side the old line', async () => (await modified.count()) > 0 && (await original.count()) > 0, 30000);
    if ((await page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: hunk2.replace }).count()) > 0) throw new Error('the commit diff shows the rejected hunk');
    return `commit #${commit.seq}: "${text}"`;
  });

  await checks.check('n', '"OpenThymos: Replay Ledger" from the palette opens a report that says verified with 0 problems', ['b'], async () => {
    await page.keyboard.press('Escape');
    await ui.runCommand('OpenThymos: Replay Ledger');
    await page.locator('.tabs-container .tab', { hasText: 'Ledger replay report' }).first().waitFor({ state: 'visible', timeout: 60000 });
    // The editor renders spaces as no-break spaces.
    const reportText = async () => (await page.locator('.editor-instance .monaco-editor .view-line').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    await poll('the report to say "Verified: 0 problems"', async () => /Verified: 0 problems/.test(await reportText()), 30000);
    const all = await reportText();
    if (/NOT verified/.test(all)) throw new Error(`the report says: ${all}`);
    if (!/Replayed \d+ entries/.test(all)) throw new Error(`the report does not say what was replayed: ${all}`);
    // The progress notification is gone once the report is shown, and the status bar shows the ledger health.
    await poll('no lingering "Replaying…" progress notification', async () =>
      (await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Replaying the OpenThymos ledger' }).count()) === 0, 5000);
    await page.locator('.statusbar-item', { hasText: 'ledger verified' }).first().waitFor({ state: 'visible', timeout: 30000 });
    return (all.match(/Verified: 0 problems[^\n*]*/) ?? [''])[0];
  });

  await checks.check('o', '"OpenThymos: Step Through Replay" shows the commits oldest first as diffs, with Next and Stop', ['e', 'i'], async () => {
    await page.keyboard.press('Escape');
    await ui.runCommand('OpenThymos: Step Through Replay');
    const first = page.locator('.tabs-container .tab', { hasText: 'Replay 1/' }).first();
    await first.waitFor({ state: 'visible', timeout: 30000 });
    if (!(await first.innerText()).includes('app.txt')) throw new Error(`the first step is "${await first.innerText()}", expected the app.txt commit of step (e)`);
    await page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: hunk1.replace }).first().waitFor({ state: 'visible', timeout: 30000 });
    await page.locator('.statusbar-item', { hasText: 'Replay 1/' }).first().waitFor({ state: 'visible', timeout: 10000 });
    await ui.runCommand('OpenThymos: Replay: Next Commit');
    const second = page.locator('.tabs-container .tab', { hasText: 'Replay 2/' }).first();
    await second.waitFor({ state: 'visible', timeout: 30000 });
    if (!(await second.innerText()).includes('notes.txt')) throw new Error(`the second step is "${await second.innerText()}", expected the notes.txt commit of step (i)`);
    await page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: 'second note, edited by e2e' }).first().waitFor({ state: 'visible', timeout: 30000 });
    await checks.shot('o-step-2');
    await ui.runCommand('OpenThymos: Replay: Stop Stepping');
    await page.locator('.statusbar-item', { hasText: 'Replay 2/' }).first().waitFor({ state: 'hidden', timeout: 10000 });
    return `${(await second.innerText()).replace(/\s+/g, ' ')}`;
  });

  await checks.check('p', 'Revert Commit from the timeline\'s context menu (modal confirm) restores the file to its before-state and adds a Revert entry', ['m'], async () => {
    // The newest commit, whatever earlier steps committed; its before-state comes from the ledger's blob.
    sidecar = await waitForSidecar(dirs.keys, 30000);
    const newest = (await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['commit'], limit: 1 })).entries[0];
    if (!newest) throw new Error('the ledger has no commit to revert');
    const change = (await operatorRequest(sidecar, 'ledger/getEntry', { seq: newest.seq })).payload.files[0];
    const before = change.before === null ? null : await operatorRequest(sidecar, 'ledger/getBlob', { hash: change.before });
    await page.keyboard.press('Escape');
    await ui.openContainer();
    const timelinePane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: 'Ledger Timeline' }) });
    const row = timelinePane.locator('.monaco-list-row[role="treeitem"]', { hasText: `#${newest.seq} ·` }).first();
    await row.waitFor({ state: 'visible', timeout: 30000 });
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Revert Commit' }).first();
    await item.waitFor({ state: 'visible', timeout: 10000 });
    await item.click();
    const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^\s*Revert\s*$/ });
    // A click that lands while the context menu is still laying itself out (seen once on the loaded CI machine) leaves
    // the menu open and runs nothing: click the item again then, never twice once the dialog is up.
    await button.first().waitFor({ state: 'visible', timeout: 10000 }).catch(async () => {
      if (await item.isVisible()) await item.click();
    });
    await button.first().waitFor({ state: 'visible', timeout: 20000 });
    await checks.shot('p-confirm');
    await button.first().click();
    const file = join(dirs.ws, change.path);
    await poll(`${change.path} to be back at its state before #${newest.seq}`, async () =>
      before === null ? !existsSync(file) : existsSync(file) && readFileSync(file, 'utf8') === before.text, 30000);
    await poll('a "Revert" row in the timeline', async () => (await timelinePane.locator('.monaco-list-row[role="treeitem"]', { hasText: `Revert · ${change.path}` }).count()) > 0, 30000);
    return `reverted #${newest.seq} (${change.path})`;
  });

  await checks.check('q', 'a writ that expires while the window is open: a notification names the agent and offers "Grant Access Again…"; the agent\'s next proposal is refused', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 30000); // the window reload in (h) restarted the sidecar with a new operator token
    const shortLived = await issueWrit(sidecar, { agent: 'short-lived-agent', lifetimeSeconds: 4 });
    await page.keyboard.press('Escape');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: "short-lived-agent's access" });
    await toast.first().waitFor({ state: 'visible', timeout: 30000 });
    const text = (await toast.first().locator('.notification-list-item-message').innerText()).trim();
    if (!/expired at .* new proposals are refused/s.test(text)) throw new Error(`the notification says: ${text}`);
    if ((await toast.first().locator('.monaco-button', { hasText: 'Grant Access Again…' }).count()) === 0) throw new Error('no "Grant Access Again…" action on the notification');
    await checks.shot('q-writ-expired');
    let refused = null;
    try {
      await proposeEdits(sidecar, shortLived, 'notes.txt', [{ search: 'first note', replace: 'first note, too late' }], 'e2e: after expiry');
    } catch (error) {
      refused = error;
    }
    if (!refused) throw new Error('a proposal under the expired writ was accepted');
    if (readFileSync(join(dirs.ws, 'notes.txt'), 'utf8').includes('too late')) throw new Error('notes.txt changed');
    await toast.first().locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => {});
    return `"${text.slice(0, 90)}…"; refused: ${String(refused.message).slice(0, 60)}`;
  });

  await checks.check('r', 'a second window on the same folder: its sidecar cannot take the ledger and the window warns, naming the sidecar that holds it; the first window keeps serving', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 30000);
    const headBefore = (await operatorRequest(sidecar, 'ledger/listEntries', { limit: 1 })).headSeq;
    const second = await context.newPage();
    try {
      await second.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(dirs.ws)}`);
      await second.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
      const toast = second.locator('.notifications-toasts .notification-list-item', { hasText: 'held by another process' });
      await toast.first().waitFor({ state: 'visible', timeout: 90000 });
      const text = (await toast.first().locator('.notification-list-item-message').innerText()).trim();
      if (!text.startsWith('OpenThymos is not running for')) throw new Error(`the warning says: ${text}`);
      const pid = /\(pid (\d+)\)/.exec(text)?.[1];
      if (!pid) throw new Error(`the warning names no process: ${text}`);
      const holder = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!/sidecar|OpenThymos\.Server/.test(holder)) throw new Error(`the warning names pid ${pid}, which runs ${holder}`);
      await second.locator('.statusbar-item', { hasText: 'OpenThymos: open in another window' }).first().waitFor({ state: 'visible', timeout: 20000 });
      // Not restarted (it would only be refused again), and said once: no second toast from the language client.
      await sleep(5000);
      const toasts = await second.locator('.notifications-toasts .notification-list-item').allInnerTexts();
      const aboutIt = toasts.filter((t) => /held by another process|couldn't create connection|Restarting server failed/.test(t));
      if (aboutIt.length !== 1) throw new Error(`${aboutIt.length} notifications about it: ${aboutIt.map((t) => t.slice(0, 80)).join(' | ')}`);
      const shownPage = checks.page;
      checks.page = second;
      await checks.shot('r-second-window-warned');
      checks.page = shownPage;
    } finally {
      await second.close();
    }
    const verify = await operatorRequest(sidecar, 'ledger/verify', {});
    if (!verify.valid) throw new Error(`the ledger does not verify after the second window: ${JSON.stringify(verify.problems?.slice(0, 2))}`);
    const headAfter = (await operatorRequest(sidecar, 'ledger/listEntries', { limit: 1 })).headSeq;
    if (headAfter !== headBefore) throw new Error(`the second window changed the ledger head ${headBefore} -> ${headAfter}`);
    await page.locator('.statusbar-item', { hasText: /OpenThymos: \d+ pending/ }).first().waitFor({ state: 'visible', timeout: 20000 });
    return `named the holder; head ${headAfter} unchanged, verify intact`;
  });

  await checks.check('s', 'an agent hides a line with a terminal escape and a bidirectional override: the CodeLens names the hidden characters, Approve All asks again naming them, and cancelling writes nothing', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 30000);
    const hostile = 'echo safe\u001b[1A\u001b[2K\u202e # harmless';
    const submitted = await proposeEdits(sidecar, writToken, 'hidden.sh', [{ search: 'echo safe', replace: hostile }], 'e2e: hidden characters');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId: submitted.proposalId });
    const flagged = detail.files[0].hunks[0].hiddenCharacters.join(' ');
    if (flagged !== 'U+001B U+202E') throw new Error(`the sidecar flags "${flagged}"`);
    await page.keyboard.press('Escape');
    await ui.openFile('hidden.sh');
    const hiddenLens = page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: 'Hidden characters' });
    await hiddenLens.first().waitFor({ state: 'visible', timeout: 30000 });
    const lensText = (await hiddenLens.first().innerText()).trim();
    if (!lensText.includes('U+001B') || !lensText.includes('U+202E')) throw new Error(`the CodeLens says: ${lensText}`);
    await checks.shot('s0-hidden-characters-lens');
    await ui.runCommand('OpenThymos: Approve All Pending');
    const approveAll = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^\s*Approve All\s*$/ });
    await approveAll.first().waitFor({ state: 'visible', timeout: 20000 });
    await approveAll.first().click();
    const warning = page.locator('.monaco-dialog-box', { hasText: 'contain hidden or control characters: U+001B U+202E' });
    await warning.first().waitFor({ state: 'visible', timeout: 20000 });
    await checks.shot('s1-bulk-approve-asks-again');
    await warning.first().locator('.monaco-button', { hasText: /^\s*Cancel\s*$/ }).first().click();
    await sleep(1500);
    if (readFileSync(join(dirs.ws, 'hidden.sh'), 'utf8') !== hiddenOriginal) throw new Error('hidden.sh changed although the reviewer cancelled');
    const still = await operatorRequest(sidecar, 'proposal/get', { proposalId: submitted.proposalId });
    if (still.proposal.status !== 'pending') throw new Error(`the proposal is ${still.proposal.status} after cancelling`);
    await operatorRequest(sidecar, 'proposal/reject', { proposalId: submitted.proposalId, revision: still.proposal.revision, reason: 'e2e: hidden characters' });
    return `lens "${lensText}"; cancelled, hidden.sh unchanged`;
  });

  await checks.check('t', '.thymos/policy.json changed on disk: the editor announces it, it governs nothing until "Review and Adopt Policy Change" shows the diff and the reviewer adopts it; then a policy.changed entry by the reviewer puts it in force', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 30000);
    writToken ??= await issueWrit(sidecar);
    const before = await operatorRequest(sidecar, 'policy/get', {});
    if (before.diskHash != null) throw new Error(`the policy file already differs from the policy in force: ${before.notice}`);
    const changesBefore = (await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['policy.changed'], limit: 50 })).entries.length;
    // As an agent's shell or an editor would: a rule that denies every change to policy-probe.txt.
    const policyText = JSON.stringify({
      version: 1,
      defaultOutcome: 'require-approval',
      rules: [{ name: 'e2e-deny-policy-probe', paths: ['policy-probe.txt'], outcome: 'deny' }],
    }, null, 2) + '\n';
    writeFileSync(join(dirs.ws, '.thymos', 'policy.json'), policyText);
    const probe = () => proposeEdits(sidecar, writToken, 'policy-probe.txt', [{ search: 'policy probe', replace: 'policy probe, by the agent' }], 'e2e: policy probe')
      .then((submitted) => ({ submitted }), (refused) => ({ refused }));

    await page.keyboard.press('Escape');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'the policy file changed on disk' });
    await toast.first().waitFor({ state: 'visible', timeout: 30000 });
    const announced = (await toast.first().locator('.notification-list-item-message').innerText()).trim();
    if (!/it is not in force/.test(announced)) throw new Error(`the notification says: ${announced}`);
    if ((await toast.first().locator('.monaco-button', { hasText: 'Review and Adopt…' }).count()) === 0) throw new Error('no "Review and Adopt…" action on the notification');
    await checks.shot('t0-policy-change-announced');

    // Before adoption: the sidecar still governs by the recorded policy, and an agent's change to the probe file is staged.
    const changed = await operatorRequest(sidecar, 'policy/get', {});
    if (changed.hash !== before.hash || changed.diskHash == null || changed.diskText !== policyText) {
      throw new Error(`policy/get before adoption: hash ${changed.hash} (was ${before.hash}), diskHash ${changed.diskHash}`);
    }
    const staged = await probe();
    if (staged.refused) throw new Error(`before adoption the changed policy already decided: ${staged.refused.message}`);
    if (staged.submitted.outcome !== 'staged') throw new Error(`before adoption the probe was ${staged.submitted.outcome}`);
    const stagedDetail = await operatorRequest(sidecar, 'proposal/get', { proposalId: staged.submitted.proposalId });
    await operatorRequest(sidecar, 'proposal/reject', { proposalId: staged.submitted.proposalId, revision: stagedDetail.proposal.revision, reason: 'e2e: policy probe' });
    const changesPending = (await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['policy.changed'], limit: 50 })).entries.length;
    if (changesPending !== changesBefore) throw new Error(`a policy.changed entry was written before adoption (${changesBefore} -> ${changesPending})`);

    await toast.first().locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => {});
    await ui.runCommand('OpenThymos: Review and Adopt Policy Change');
    await page.locator('.tabs-container .tab', { hasText: 'policy in force' }).first().waitFor({ state: 'visible', timeout: 30000 });
    await page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: 'e2e-deny-policy-probe' }).first().waitFor({ state: 'visible', timeout: 30000 });
    const adopt = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^\s*Adopt\s*$/ });
    await adopt.first().waitFor({ state: 'visible', timeout: 20000 });
    await checks.shot('t1-review-policy-diff');
    await adopt.first().click();
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'the adopted policy is now in force' }).first().waitFor({ state: 'visible', timeout: 30000 });

    // After adoption: a policy.changed entry by the reviewer names the file's hash, policy/get returns it, and it decides.
    const adopted = await operatorRequest(sidecar, 'policy/get', {});
    if (adopted.hash !== changed.diskHash || adopted.diskHash != null || adopted.text !== policyText) {
      throw new Error(`policy/get after adoption: hash ${adopted.hash}, expected ${changed.diskHash}; diskHash ${adopted.diskHash}`);
    }
    const newest = (await operatorRequest(sidecar, 'ledger/listEntries', { kinds: ['policy.changed'], limit: 1 })).entries[0];
    const entry = await operatorRequest(sidecar, 'ledger/getEntry', { seq: newest.seq });
    if (!newest.actor.startsWith('human:') || entry.payload.hash !== changed.diskHash || entry.payload.previousHash !== before.hash) {
      throw new Error(`the newest policy.changed is #${newest.seq} by ${newest.actor}: ${JSON.stringify(entry.payload)}`);
    }
    const denied = await probe();
    if (!denied.refused) throw new Error(`after adoption the probe was ${denied.submitted.outcome}, not denied`);
    if (!/e2e-deny-policy-probe|denied|deny/i.test(String(denied.refused.message))) throw new Error(`the refusal does not name the policy: ${denied.refused.message}`);
    if (readFileSync(join(dirs.ws, 'policy-probe.txt'), 'utf8') !== probeOriginal) throw new Error('policy-probe.txt changed');
    return `#${newest.seq} policy.changed by ${newest.actor}; then refused: ${String(denied.refused.message).slice(0, 70)}…`;
  });

  await checks.check('u', 'a copy of the folder (cp -r) opened in a second window: its sidecar refuses it, and that window says once which folder the workspace belongs to and offers the command (Copy Command); it is not restarted and the original keeps serving', ['b'], async () => {
    sidecar = await waitForSidecar(dirs.keys, 30000);
    const headBefore = (await operatorRequest(sidecar, 'ledger/listEntries', { limit: 1 })).headSeq;
    const copy = join(run.state, 'ws-copy');
    cpSync(dirs.ws, copy, { recursive: true });
    const sidecarsOnCopy = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
      try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(copy); } catch { return false; }
    });
    const second = await context.newPage();
    try {
      await second.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(copy)}`);
      await second.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
      const toast = second.locator('.notifications-toasts .notification-list-item', { hasText: 'holds a copy of workspace' });
      await toast.first().waitFor({ state: 'visible', timeout: 90000 });
      const text = (await toast.first().locator('.notification-list-item-message').innerText()).trim();
      if (!text.startsWith(`OpenThymos did not start for 'ws-copy': The folder '${copy}' holds a copy of workspace ${sidecar.workspaceId}, which belongs to '${dirs.ws}'`)) throw new Error(`the error says: ${text}`);
      if (!text.includes(`rm ${join(copy, '.thymos', 'ledger.db')}`) || !text.includes('OpenThymos: Refresh')) throw new Error(`the error names no way out: ${text}`);
      if ((await toast.first().locator('.monaco-button', { hasText: 'Copy Command' }).count()) === 0) throw new Error('no "Copy Command" action on the error');
      await second.locator('.statusbar-item', { hasText: 'sidecar stopped' }).first().waitFor({ state: 'visible', timeout: 20000 });
      // Not restarted (it would only be refused again), and said once: no second toast from the language client.
      await poll('the refused sidecar to exit', async () => sidecarsOnCopy().length === 0, 70000);
      await sleep(5000);
      if (sidecarsOnCopy().length > 0) throw new Error(`a sidecar was started on the copy again: pid ${sidecarsOnCopy().join(', ')}`);
      const toasts = await second.locator('.notifications-toasts .notification-list-item').allInnerTexts();
      const aboutIt = toasts.filter((t) => /holds a copy of workspace|couldn't create connection|Restarting server failed|initialization failed|exited/i.test(t));
      if (aboutIt.length !== 1) throw new Error(`${aboutIt.length} notifications about it: ${aboutIt.map((t) => t.slice(0, 80)).join(' | ')}`);
      const shownPage = checks.page;
      checks.page = second;
      await checks.shot('u-copied-folder-refused');
      checks.page = shownPage;
    } finally {
      await second.close();
    }
    const verify = await operatorRequest(sidecar, 'ledger/verify', {});
    if (!verify.valid) throw new Error(`the original's ledger does not verify after the copy was refused: ${JSON.stringify(verify.problems?.slice(0, 2))}`);
    const headAfter = (await operatorRequest(sidecar, 'ledger/listEntries', { limit: 1 })).headSeq;
    if (headAfter !== headBefore) throw new Error(`the refused copy changed the original's ledger head ${headBefore} -> ${headAfter}`);
    return `refused once, not restarted; the original's head ${headAfter} unchanged, verify intact`;
  });

  exitCode = results.every((r) => r.ok) ? 0 : 1;
} catch (error) {
  console.log(`FAIL - harness: ${error?.message ?? error}`);
  await checks.shot('zz-failure');
  results.push({ id: 'harness', ok: false });
  exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  await server?.stop();
}

const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed (${elapsed()})`);
if (exitCode !== 0 || process.env.OPENTHYMOS_E2E_KEEP) {
  console.log(`# kept the state dir ${run.state} (code-server.log, browser-console.log, ud/logs, shots/)`);
} else {
  rmSync(run.state, { recursive: true, force: true });
}
process.exit(exitCode);
