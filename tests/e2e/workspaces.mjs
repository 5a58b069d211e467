// Real-editor e2e, second scenario: workspaces with more than one folder, and untrusted workspaces.
//   (a) a .code-workspace with folders alpha and beta (both opted in with .thymos/): two sidecars, two ledgers;
//       a proposal submitted to beta shows under beta in Pending; approving it writes only beta's file, and
//       alpha's ledger gets no entry.
//   (b) a folder opened with workspace trust on and not trusted (restricted mode): the proposal is shown, but
//       approve/reject are not offered (palette, CodeLens, Pending view, keybinding), the view says why, and the
//       file stays byte-identical.
// Same tools and output format as run.mjs (tests/e2e/README.md); screenshots go to tests/e2e/artifacts/workspaces-*.png.
// Usage: node tests/e2e/workspaces.mjs [path/to/openthymos-*.vsix]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueWrit, openSession, operatorRequest, proposeEdits } from './agent.mjs';
import { Checks, createState, installVsix, inputs, openBrowser, poll, sleep, startCodeServer, workbench } from './harness.mjs';

const tool = inputs(process.argv[2]);
const run = createState();
const checks = new Checks('workspaces', run.dirs.shots);
console.log(`# vsix: ${tool.vsix}`);
console.log(`# state dir: ${run.state}`);

/** Waits until `count` sidecars serve agent sockets under the key dir; returns them. */
async function waitForSidecars(keyDir, count, timeoutMs = 90000) {
  return poll(`${count} sidecar sockets under ${keyDir}`, async () => {
    const found = [];
    for (const id of existsSync(keyDir) ? readdirSync(keyDir) : []) {
      const socketPath = join(keyDir, id, 'agent.sock');
      const tokenPath = join(keyDir, id, 'operator.token');
      try {
        const operatorToken = statSync(socketPath).isSocket() ? readFileSync(tokenPath, 'utf8').trim() : '';
        if (operatorToken) found.push({ workspaceId: id, socketPath, operatorToken });
      } catch { /* not there yet */ }
    }
    return found.length >= count ? found : null;
  }, timeoutMs);
}

/** As an agent with a writ: can this sidecar read `path`? (Tells the folder a socket belongs to.) */
async function canRead(sidecar, token, path) {
  const agent = await openSession(sidecar.socketPath, token);
  try {
    await agent.request('file/read', { path });
    return true;
  } catch {
    return false;
  } finally {
    agent.dispose();
  }
}

const headSeq = async (sidecar) => (await operatorRequest(sidecar, 'ledger/listEntries', { limit: 1 })).headSeq;
const sessions = [];

async function openWorkbench(url, profile, trust) {
  const server = await startCodeServer(tool, run, { trust, logName: `${profile}-code-server.log` });
  const { context, page } = await openBrowser(tool, run, `browser-${profile}`);
  sessions.push({ server, context });
  checks.page = page;
  await page.goto(`http://127.0.0.1:${server.port}/${url}`);
  return { page, ui: workbench(page) };
}

async function closeWorkbenches() {
  for (const { server, context } of sessions.splice(0)) {
    await context.close().catch(() => {});
    await server.stop();
  }
}

let exitCode = 1;
try {
  installVsix(tool, run);
  console.log(`# installed the vsix (${checks.elapsed()})`);

  // ------------------------------------------------------------ (a) multi-root
  const alpha = join(run.state, 'alpha');
  const beta = join(run.state, 'beta');
  const alphaOriginal = 'alpha\none\ntwo\nthree\n';
  const betaOriginal = 'beta\nfour\nfive\nsix\n';
  for (const [folder, file, text] of [[alpha, 'a.txt', alphaOriginal], [beta, 'b.txt', betaOriginal]]) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  mkdirSync(join(alpha, '.thymos')); // alpha opted in before; beta opts in while open (a1)
  const workspaceFile = join(run.state, 'two-folders.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }] }, null, 2));
  const betaExpected = betaOriginal.replace('five', 'five, approved in beta');
  let sidecarOf = {};
  let alphaHead;
  let betaProposal;

  const multi = await openWorkbench(`?workspace=${encodeURIComponent(workspaceFile)}`, 'multi', true);

  await checks.check('a1', 'two folders: alpha (opted in) starts a sidecar; beta starts one when .thymos/ appears in it; two ledgers', [], async () => {
    await multi.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await waitForSidecars(run.dirs.keys, 1);
    await multi.ui.waitStatus('0 pending', 60000);
    if (existsSync(join(beta, '.thymos'))) throw new Error('a sidecar started in beta, which had not opted in');
    // What an agent's `thymos` run leaves behind: the folder's .thymos/. The extension notices and starts beta's sidecar.
    mkdirSync(join(beta, '.thymos'));
    const sidecars = await waitForSidecars(run.dirs.keys, 2);
    if (sidecars.length !== 2) throw new Error(`${sidecars.length} sidecars, expected 2`);
    for (const sidecar of sidecars) {
      const token = await issueWrit(sidecar, { agent: 'e2e-agent', include: ['**'], effects: ['modify'] });
      if (await canRead(sidecar, token, 'b.txt')) sidecarOf.beta = { ...sidecar, token };
      else if (await canRead(sidecar, token, 'a.txt')) sidecarOf.alpha = { ...sidecar, token };
    }
    if (!sidecarOf.alpha || !sidecarOf.beta) throw new Error(`could not tell the sidecars apart (alpha: ${Boolean(sidecarOf.alpha)}, beta: ${Boolean(sidecarOf.beta)})`);
    for (const folder of [alpha, beta]) {
      if (!existsSync(join(folder, '.thymos', 'ledger.db'))) throw new Error(`no ledger in ${folder}/.thymos`);
    }
    await multi.ui.waitStatus('0 pending', 60000);
    await multi.ui.openContainer();
    return `alpha ${sidecarOf.alpha.workspaceId}, beta ${sidecarOf.beta.workspaceId}`;
  });

  await checks.check('a2', 'a proposal submitted to folder beta is listed under "beta" in Pending (alpha has none)', ['a1'], async () => {
    alphaHead = await headSeq(sidecarOf.alpha);
    const submitted = await proposeEdits(sidecarOf.beta, sidecarOf.beta.token, 'b.txt', [{ search: 'five', replace: 'five, approved in beta' }], 'e2e: an edit in beta');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    betaProposal = submitted.proposalId;
    await multi.ui.waitStatus('1 pending');
    let lastRows = [];
    const rows = await poll('Pending rows beta > e2e-agent > b.txt', async () => {
      const texts = await multi.ui.pendingRows().allInnerTexts();
      const folderRow = texts.findIndex((t) => t.trim().startsWith("beta"));
      const fileRow = texts.findIndex((t) => t.includes('b.txt'));
      lastRows = texts;
      return folderRow >= 0 && fileRow > folderRow ? texts : null;
    }, 30000).catch((error) => { throw new Error(`${error.message}; rows: ${JSON.stringify(lastRows)}`); });
    if (rows.some((t) => t.trim().startsWith("alpha"))) throw new Error(`Pending lists alpha: ${rows.join(' | ')}`);
    return rows.map((t) => t.split('\n')[0]).join(' > ');
  });

  await checks.check('a3', 'approving it in the editor writes only beta/b.txt; alpha\'s file and ledger are untouched', ['a2'], async () => {
    await multi.ui.openFile('b.txt');
    const readBeta = () => readFileSync(join(beta, 'b.txt'), 'utf8');
    for (let attempt = 0; attempt < 4 && readBeta() === betaOriginal; attempt++) {
      const [approve] = await poll('the Approve CodeLens on b.txt', async () => { const l = await multi.ui.lenses('Approve'); return l.length === 1 ? l : null; }, 30000);
      try {
        await approve.link.click({ timeout: 5000 });
      } catch {
        await sleep(300);
        continue;
      }
      await poll('the approval to land', async () => readBeta() === betaExpected, 5000).catch(() => {});
    }
    await poll('beta/b.txt to hold the approved edit', async () => readBeta() === betaExpected, 30000);
    await multi.ui.waitStatus('0 pending');
    await poll('the CodeLenses on b.txt to go', async () => (await multi.ui.lenses('Approve')).length === 0 && (await multi.ui.lenses('Reject')).length === 0, 20000);
    const detail = await operatorRequest(sidecarOf.beta, 'proposal/get', { proposalId: betaProposal });
    if (detail.proposal.status !== 'approved') throw new Error(`beta's proposal is ${detail.proposal.status}, expected approved`);
    const betaCommits = await operatorRequest(sidecarOf.beta, 'ledger/listEntries', { kinds: ['commit'] });
    if (betaCommits.entries.length !== 1) throw new Error(`beta's ledger has ${betaCommits.entries.length} commits, expected 1`);
    await sleep(1000);
    if (readFileSync(join(alpha, 'a.txt'), 'utf8') !== alphaOriginal) throw new Error('alpha/a.txt changed');
    const after = await headSeq(sidecarOf.alpha);
    if (after !== alphaHead) throw new Error(`alpha's ledger head moved from ${alphaHead} to ${after}`);
    return `beta commit seq ${betaCommits.entries[0].seq}; alpha head still ${alphaHead}`;
  });
  await closeWorkbenches();

  // ------------------------------------------------------------ (b) untrusted workspace (restricted mode)
  const untrusted = join(run.state, 'untrusted');
  const untrustedOriginal = 'first\nsecond\nthird\nfourth\n';
  mkdirSync(join(untrusted, '.thymos'), { recursive: true });
  writeFileSync(join(untrusted, 'c.txt'), untrustedOriginal);
  // Trust on, and no start-up prompt: a folder nobody trusted opens in restricted mode.
  const settingsFile = join(run.dirs.ud, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }, null, 2));
  // A key dir of its own, so the sockets of (a)'s sidecars cannot be mistaken for this one's.
  const keys = join(run.state, 'keys-untrusted');
  mkdirSync(keys, { mode: 0o700 });
  run.env.OPENTHYMOS_KEY_DIR = keys;
  let sidecar;
  let proposalId;

  const restricted = await openWorkbench(`?folder=${encodeURIComponent(untrusted)}`, 'untrusted', false);

  await checks.check('b1', 'an untrusted folder opens in restricted mode; its sidecar starts and the status bar shows "0 pending"', [], async () => {
    await restricted.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await restricted.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 60000 });
    [sidecar] = await waitForSidecars(keys, 1);
    await restricted.ui.waitStatus('0 pending', 60000);
    return `workspace ${sidecar.workspaceId}`;
  });

  await checks.check('b2', 'a proposal is shown (status bar, Pending) with "review is read-only" and no approve/reject buttons or CodeLenses', ['b1'], async () => {
    const token = await issueWrit(sidecar, { agent: 'e2e-agent', include: ['**'], effects: ['modify'] });
    const submitted = await proposeEdits(sidecar, token, 'c.txt', [{ search: 'third', replace: 'third, never approved' }], 'e2e: untrusted');
    if (submitted.outcome !== 'staged') throw new Error(`intent/submit outcome ${submitted.outcome} (${submitted.message})`);
    proposalId = submitted.proposalId;
    await restricted.ui.waitStatus('1 pending');
    await restricted.ui.openContainer();
    await poll('a Pending row with c.txt', async () => (await restricted.ui.pendingRows().allInnerTexts()).some((t) => t.includes('c.txt')), 30000);
    const message = restricted.ui.pendingPane().getByText('Untrusted workspace: review is read-only.');
    await message.first().waitFor({ state: 'visible', timeout: 15000 });
    const buttons = await restricted.ui.pendingPane().locator('.actions .action-label[aria-label*="Approve"], .actions .action-label[aria-label*="Reject"]').count();
    if (buttons !== 0) throw new Error(`the Pending view offers ${buttons} approve/reject buttons`);
    await restricted.ui.openFile('c.txt');
    await poll('the Diff CodeLens on c.txt', async () => (await restricted.ui.lenses('Diff')).length === 1, 30000);
    const offered = (await restricted.ui.lenses('Approve')).length + (await restricted.ui.lenses('Reject')).length;
    if (offered !== 0) throw new Error(`${offered} Approve/Reject CodeLenses in an untrusted workspace`);
  });

  await checks.check('b3', 'approving is refused: not in the palette, the keybinding does nothing; c.txt stays byte-identical and pending', ['b2'], async () => {
    const rows = await restricted.ui.paletteRows('OpenThymos: Approve');
    await restricted.page.keyboard.press('Escape');
    if (rows.some((r) => /OpenThymos: Approve/i.test(r))) throw new Error(`the palette offers: ${rows.join(' | ')}`);
    // Put the cursor on the hunk's line and press the approve keybinding.
    await restricted.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'third' }).first().click();
    await restricted.page.keyboard.press('Control+Alt+Enter');
    await sleep(3000);
    if (readFileSync(join(untrusted, 'c.txt'), 'utf8') !== untrustedOriginal) throw new Error('c.txt changed in an untrusted workspace');
    const detail = await operatorRequest(sidecar, 'proposal/get', { proposalId });
    if (detail.proposal.status !== 'pending') throw new Error(`the proposal is ${detail.proposal.status}, expected pending`);
    await restricted.ui.waitStatus('1 pending');
    return `palette rows for "OpenThymos: Approve": ${rows.length === 0 ? 'none' : rows.join(' | ')}`;
  });

  exitCode = checks.allPassed ? 0 : 1;
} catch (error) {
  console.log(`FAIL - harness: ${error?.message ?? error}`);
  await checks.shot('zz-failure');
  checks.results.push({ id: 'harness', ok: false });
  exitCode = 1;
} finally {
  await closeWorkbenches();
}

const passed = checks.results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${checks.results.length - passed} failed (${checks.elapsed()})`);
if (exitCode !== 0 || process.env.OPENTHYMOS_E2E_KEEP) {
  console.log(`# kept the state dir ${run.state} (*code-server.log, *-console.log, ud/logs, shots/)`);
} else {
  rmSync(run.state, { recursive: true, force: true });
}
process.exit(exitCode);
