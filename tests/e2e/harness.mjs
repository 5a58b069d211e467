// Shared pieces of the real-editor e2e scenarios (run.mjs and workspaces.mjs):
// the tools from setup.sh, a state dir, code-server in its own process group, headless Chromium, checks with
// screenshots, and the workbench helpers (command palette, quick open, status bar, Pending view, CodeLens).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const repository = resolve(import.meta.dirname, '..', '..');
export const artifacts = join(import.meta.dirname, 'artifacts');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function die(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** The e2e tools (tests/e2e/setup.sh) and the .vsix to test (argument, else the newest in the repo root). */
export function inputs(vsixArgument) {
  const tools = resolve(process.env.OPENTHYMOS_E2E_TOOLS ?? '/var/tmp/openthymos-e2e-tools');
  for (const [what, marker] of [['Node 24', join(tools, 'node24', '.complete')], ['code-server', join(tools, 'cs', '.complete')], ['playwright-core', join(tools, 'driver', '.complete')]]) {
    if (!existsSync(marker)) die(`${what} is missing from ${tools}; run: bash tests/e2e/setup.sh ${tools}`);
  }
  if (!existsSync('/usr/bin/chromium')) die('/usr/bin/chromium is missing; run: bash tests/e2e/setup.sh (as root, it installs the apt package chromium)');
  let vsix = vsixArgument ? resolve(vsixArgument) : null;
  vsix ??= readdirSync(repository).filter((f) => f.endsWith('.vsix')).map((f) => join(repository, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
  if (!vsix || !existsSync(vsix)) die(`no .vsix to test: pass its path, or run \`npm run build\` to produce openthymos-<version>-linux-x64.vsix in ${repository}`);
  return {
    vsix,
    node24: join(tools, 'node24', 'bin', 'node'),
    codeServer: join(tools, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: createRequire(join(tools, 'driver', 'node_modules', 'x.js'))('playwright-core').chromium,
  };
}

/** A fresh, short state dir (unix socket paths max 108 chars) with code-server's user settings. */
export function createState(settings) {
  const state = mkdtempSync('/tmp/ote-');
  const dirs = {
    ud: join(state, 'ud'), ext: join(state, 'ext'), tmp: join(state, 'tmp'), keys: join(state, 'keys'),
    shots: join(state, 'shots'), home: join(state, 'home'), xdgConfig: join(state, 'xdg-config'),
    xdgData: join(state, 'xdg-data'), xdgCache: join(state, 'xdg-cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
  mkdirSync(join(dirs.ud, 'User'), { recursive: true });
  writeFileSync(join(dirs.ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'editor.codeLens': true,
    'files.autoSave': 'off',
    'git.enabled': false,
    ...settings,
  }, null, 2));
  const config = join(state, 'config.yaml');
  writeFileSync(config, '');
  const env = {
    ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}', OPENTHYMOS_KEY_DIR: dirs.keys,
  };
  return { state, dirs, env, csArgs: ['--config', config, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext] };
}

/** Installs the .vsix into the state's extensions dir. */
export function installVsix(tool, s) {
  const install = spawnSync(tool.node24, [tool.codeServer, ...s.csArgs, '--install-extension', tool.vsix, '--force'], { env: s.env, encoding: 'utf8', timeout: 120000 });
  writeFileSync(join(s.state, 'install.log'), `${install.stdout}\n${install.stderr}`);
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`code-server --install-extension failed (exit ${install.status}): ${(install.stdout + install.stderr).trim().split('\n').slice(-3).join(' / ')}`);
  }
}

/** Starts code-server in its own process group; `trust` false leaves workspace trust on (restricted mode). */
export async function startCodeServer(tool, s, { trust = true, logName = 'code-server.log' } = {}) {
  const log = createWriteStream(join(s.state, logName));
  const flags = ['--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened', ...(trust ? ['--disable-workspace-trust'] : [])];
  const server = spawn(tool.node24, [tool.codeServer, ...s.csArgs, ...flags], { env: s.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`code-server did not listen within 60 s; see ${join(s.state, logName)}`)), 60000);
    const onData = (chunk) => {
      log.write(chunk);
      output += chunk;
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => { clearTimeout(timer); fail(new Error(`code-server exited with ${code}: ${output.trim().split('\n').slice(-3).join(' / ')}`)); });
  });
  return {
    port,
    async stop() {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { return; }
      for (let i = 0; i < 20 && server.exitCode === null && server.signalCode === null; i++) await sleep(250);
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

/** Headless Chromium with a fresh profile; returns its context and page (console logged to the state dir). */
export async function openBrowser(tool, s, profileName = 'profile') {
  const context = await tool.chromium.launchPersistentContext(join(s.state, profileName), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: s.dirs.home, XDG_CONFIG_HOME: s.dirs.xdgConfig, XDG_CACHE_HOME: s.dirs.xdgCache },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleLog = createWriteStream(join(s.state, `${profileName}-console.log`));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
  return { context, page };
}

export async function poll(what, fn, timeoutMs = 30000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) { last = error; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (${last.message.split('\n')[0]})` : ''}`);
    await sleep(intervalMs);
  }
}

/** Checks that print `ok   - …`/`FAIL - …` and screenshot the page after each (prefix names this scenario). */
export class Checks {
  constructor(prefix, shotsDir) {
    this.prefix = prefix;
    this.shotsDir = shotsDir;
    this.results = [];
    this.page = undefined;
    this.failedOnce = false;
    this.started = Date.now();
    mkdirSync(artifacts, { recursive: true });
    for (const f of readdirSync(artifacts)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) rmSync(join(artifacts, f));
  }

  elapsed() {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }

  async shot(name) {
    if (!this.page) return;
    try {
      const file = join(artifacts, `${this.prefix}-${name}.png`);
      await this.page.screenshot({ path: file });
      copyFileSync(file, join(this.shotsDir, `${this.prefix}-${name}.png`));
    } catch { /* the page may be gone */ }
  }

  /** Runs one check; `needs` lists earlier check ids that must have passed. */
  async check(id, title, needs, body) {
    const blocked = needs.filter((n) => !this.results.find((r) => r.id === n && r.ok));
    if (blocked.length) {
      this.results.push({ id, ok: false });
      console.log(`FAIL - (${id}) ${title} [not run: needs (${blocked.join('), (')})]`);
      return;
    }
    const t0 = Date.now();
    try {
      const note = await body();
      this.results.push({ id, ok: true });
      console.log(`ok   - (${id}) ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s${note ? `; ${note}` : ''})`);
      await this.shot(`${id}-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 40).toLowerCase()}`);
    } catch (error) {
      this.results.push({ id, ok: false });
      console.log(`FAIL - (${id}) ${title}: ${String(error?.message ?? error).split('\n')[0]}`);
      if (!this.failedOnce) {
        this.failedOnce = true;
        await this.shot('zz-failure');
      }
      await this.shot(`${id}-FAILED`);
    }
  }

  get allPassed() {
    return this.results.length > 0 && this.results.every((r) => r.ok);
  }
}

/** The workbench helpers on one page. */
export function workbench(page) {
  const activityIcon = () => page.locator('.activitybar .action-label[aria-label^="OpenThymos"]');
  const statusText = async () => (await page.locator('.statusbar-item', { hasText: 'OpenThymos' }).allInnerTexts()).join(' | ');
  const input = () => page.locator('.quick-input-widget .quick-input-box input');
  const firstRowLabel = () => page.locator('.quick-input-widget .monaco-list-row').first().getAttribute('aria-label', { timeout: 1000 }).catch(() => null);
  return {
    activityIcon,
    statusText,

    async waitStatus(text, timeoutMs = 30000) {
      try {
        await page.locator('.statusbar-item', { hasText: `OpenThymos: ${text}` }).first().waitFor({ state: 'visible', timeout: timeoutMs });
      } catch {
        throw new Error(`status bar never showed "OpenThymos: ${text}" within ${timeoutMs} ms (it shows: "${await statusText()}")`);
      }
    },

    /** The Pending view's pane (the OpenThymos container must be open). */
    pendingPane() {
      return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: 'Pending' }) });
    },

    pendingRows() {
      return this.pendingPane().locator('.monaco-list-row[role="treeitem"]');
    },

    async openContainer() {
      const icon = activityIcon();
      await icon.waitFor({ state: 'visible', timeout: 60000 });
      const checked = await icon.evaluate((el) => el.closest('[aria-selected="true"], .checked') !== null || el.classList.contains('checked'));
      // The pending-count badge on the icon intercepts pointer events; click through it when it is there.
      if (!checked) await icon.click({ timeout: 10000 }).catch(() => icon.click({ force: true }));
      const header = page.locator('.part.sidebar .pane-header', { hasText: 'Pending' }).first();
      await header.waitFor({ state: 'attached', timeout: 20000 });
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    },

    /** The command palette rows for a query (titles), for checking what is offered. */
    async paletteRows(query) {
      if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input().waitFor({ state: 'visible', timeout: 15000 });
      await input().fill('>' + query);
      await sleep(1000);
      const rows = await page.locator('.quick-input-widget .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      return rows;
    },

    async runCommand(title) {
      await poll(`command palette row "${title}"`, async () => {
        if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await input().waitFor({ state: 'visible', timeout: 15000 });
        await input().fill('>' + title);
        for (let attempt = 0; attempt < 4; attempt++) {
          const label = await firstRowLabel();
          if (label && label.toLowerCase().startsWith(title.toLowerCase())) return true;
          await page.waitForTimeout(250);
        }
        return false;
      }, 30000);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15000 });
    },

    async openFile(name) {
      await page.keyboard.press('Control+P');
      await input().waitFor({ state: 'visible', timeout: 15000 });
      await input().fill(name);
      await poll(`quick open row for ${name}`, async () => (await firstRowLabel())?.includes(name), 20000);
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab[aria-label*="${name}"]`).first().waitFor({ state: 'visible', timeout: 15000 });
    },

    /** CodeLens links with exactly this text in the active editor, top to bottom (pinned element handles). */
    async lenses(text) {
      const links = page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: new RegExp(`^\\s*${text}\\s*$`) });
      const out = [];
      for (let i = 0; i < await links.count(); i++) {
        const handle = await links.nth(i).elementHandle({ timeout: 1000 }).catch(() => null); // gone in a re-render
        const box = handle && await handle.boundingBox();
        if (box) out.push({ link: handle, y: box.y });
      }
      return out.sort((a, b) => a.y - b.y);
    },

    /**
     * Clicks the CodeLens link with exactly this text that sits directly above the editor line containing
     * `lineText`. Monaco recycles CodeLens DOM nodes when it re-renders, so a pinned element handle can end up
     * showing another hunk's lens; instead the lens and its line are found in one synchronous page evaluation
     * and the click goes to that screen position, where the lens above the line is the one wanted.
     * Returns false when no such lens is rendered right now.
     */
    async clickLensAbove(text, lineText) {
      const target = await page.evaluate(([wanted, lineWanted]) => {
        const editor = document.querySelector('.editor-instance .monaco-editor');
        if (!editor) return null;
        const text = (node) => node.textContent.replace(/\s+/g, ' '); // Monaco renders spaces as U+00A0
        const line = [...editor.querySelectorAll('.view-line')].find((l) => text(l).includes(lineWanted));
        if (!line) return null;
        const lineBox = line.getBoundingClientRect();
        const above = [...editor.querySelectorAll('.codelens-decoration a')]
          .filter((a) => text(a).trim() === wanted)
          .map((a) => a.getBoundingClientRect())
          .filter((box) => box.height > 0 && lineBox.top - box.top > 0 && lineBox.top - box.top <= lineBox.height * 2.5);
        if (above.length !== 1) return null;
        return { x: above[0].left + above[0].width / 2, y: above[0].top + above[0].height / 2 };
      }, [text, lineText]);
      if (!target) return false;
      await page.mouse.click(target.x, target.y);
      return true;
    },
  };
}
