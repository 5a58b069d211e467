// npm start: the OpenThymos demo. Installs the npm packages when missing, builds everything (`npm run build`:
// the .vsix with the self-contained sidecar), copies a small project into a fresh temp folder, starts the
// sidecar there and lets two demo agents (demo-agent.mjs) propose edits over its agent socket, then opens the
// project with the extension installed: in VS Code when `code` is on PATH, otherwise in browser-based VS Code
// (code-server, bound to 127.0.0.1) whose URL it prints, running until Ctrl+C and then cleaning up.
//
// Usage: node extension/scripts/demo.mjs [--code-server] [--skip-build] [--port N] [--check]
//   --code-server  use code-server even when `code` is on PATH
//   --skip-build   use the newest openthymos-*.vsix in the repository root instead of building
//   --port N       code-server's port (default: a free one)
//   --check        non-interactive self-test (tests/run-all.mjs): code-server, wait until the sidecar reports the
//                  demo proposals pending, fetch the URL expecting HTTP 200, shut down, exit 0 or 1
// Env: OPENTHYMOS_E2E_TOOLS  where code-server and Node 24 are (default /var/tmp/openthymos-e2e-tools;
//      installed by tests/e2e/setup.sh when missing)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repository = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const checkMode = args.includes('--check');
const skipBuild = args.includes('--skip-build');
const useCodeServer = checkMode || args.includes('--code-server') || !commandWorks('code', ['--version']);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const tools = resolve(process.env.OPENTHYMOS_E2E_TOOLS ?? '/var/tmp/openthymos-e2e-tools');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`demo: error: --port needs a port number (0-65535), not '${args[portArg + 1]}'.`);
  process.exit(2);
}

function say(message) {
  console.log(`demo: ${message}`);
}

function fail(message) {
  console.error(`demo: error: ${message}`);
  process.exit(1);
}

function commandWorks(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'ignore', shell: process.platform === 'win32' });
  return !result.error && result.status === 0;
}

function run(title, command, commandArgs, options = {}) {
  say(`${title}: ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: repository, stdio: 'inherit', shell: process.platform === 'win32', ...options });
  if (result.error || result.status !== 0) {
    fail(`${title} failed (${result.error?.message ?? `exit code ${result.status}`}).`);
  }
}

// ---------------------------------------------------------------- 1. build
if (!commandWorks('dotnet', ['--version'])) {
  fail('the .NET 10 SDK (`dotnet`) is not on PATH; it builds the sidecar. Install it from https://dot.net and run `npm start` again.');
}
if (!existsSync(join(repository, 'node_modules', '.package-lock.json'))) {
  run('install the npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
}
if (!skipBuild) {
  run('build the extension and the sidecar', 'npm', ['run', 'build']);
}
const vsix = readdirSync(repository).filter((f) => /^openthymos-.*\.vsix$/.test(f)).map((f) => join(repository, f))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const sidecarExe = join(repository, 'dist', 'sidecar', process.platform === 'win32' ? 'OpenThymos.Server.exe' : 'OpenThymos.Server');
if (vsix === undefined || !existsSync(sidecarExe)) {
  fail(`no built extension in ${repository} (openthymos-*.vsix and dist/sidecar); run \`npm run build\`, or drop --skip-build.`);
}

// ---------------------------------------------------------------- 2. the demo project, proposals staged by the agents
// Short paths: the agent socket lives under keys/ and unix socket paths are limited to 108 characters.
const demoRoot = mkdtempSync(join(tmpdir(), 'otdemo-'));
const project = join(demoRoot, 'tiny-shop');
const keys = join(demoRoot, 'keys');
cpSync(join(import.meta.dirname, 'demo-project'), project, { recursive: true });
mkdirSync(keys, { mode: 0o700 });
// The extension's sidecar must use the key directory the demo's sidecar used (it holds the workspace key).
mkdirSync(join(project, '.vscode'));
writeFileSync(join(project, '.vscode', 'settings.json'), `${JSON.stringify({ 'openthymos.keyDirectory': keys }, null, 2)}\n`);
say(`demo project: ${project}`);

const { pendingProposals, runDemoAgents, waitForSidecar } = await import('./demo-agent.mjs');
let cleanups = [];
let stopping = false;
async function cleanUp() {
  stopping = true;
  const pending = cleanups.reverse();
  cleanups = [];
  for (const step of pending) {
    await step().catch((error) => { console.error(`demo: cleaning up: ${error.message}`); });
  }
}
process.on('SIGINT', () => { void cleanUp().then(() => process.exit(checkMode ? 1 : 0)); });
process.on('SIGTERM', () => { void cleanUp().then(() => process.exit(checkMode ? 1 : 0)); });

async function stageProposals() {
  // The sidecar the extension ships, headless: it creates .thymos/ (so the extension starts there by itself)
  // and serves the agent socket. It stops again before the editor opens; there is one writer per ledger.
  const log = createWriteStream(join(demoRoot, 'sidecar.log'));
  const sidecarProcess = spawn(sidecarExe, ['--workspace', project, '--key-dir', keys, '--log-level', 'warn'], { stdio: ['pipe', 'ignore', 'pipe'] });
  sidecarProcess.stderr.pipe(log);
  const exited = new Promise((ok) => sidecarProcess.once('exit', ok));
  try {
    const sidecar = await Promise.race([
      waitForSidecar(keys, 60000),
      exited.then((code) => { throw new Error(`the sidecar exited with code ${code} before it served agents; see ${join(demoRoot, 'sidecar.log')}`); }),
    ]);
    const submitted = await runDemoAgents(sidecar);
    for (const s of submitted) {
      say(`agent ${s.agent} proposed ${s.hunks} hunks in ${s.files} files (proposal ${s.proposalId})`);
    }
    const pending = await pendingProposals(sidecar);
    const missing = submitted.filter((s) => !pending.some((p) => p.proposalId === s.proposalId));
    if (missing.length > 0) {
      throw new Error(`the sidecar does not report ${missing.map((m) => m.proposalId).join(', ')} as pending`);
    }
    say(`the sidecar reports ${pending.length} proposals pending, from ${[...new Set(pending.map((p) => p.agent))].join(' and ')}`);
  } finally {
    sidecarProcess.stdin.end(); // the sidecar exits cleanly when its stdin closes
    const stopped = await Promise.race([exited.then(() => true), sleep(15000).then(() => false)]);
    if (!stopped) sidecarProcess.kill('SIGKILL');
  }
}

try {
  await stageProposals();
} catch (error) {
  rmSync(demoRoot, { recursive: true, force: true });
  fail(error.message);
}

// ---------------------------------------------------------------- 3a. VS Code
if (!useCodeServer) {
  run('install the extension into VS Code', 'code', ['--install-extension', vsix, '--force']);
  run('open the demo project', 'code', [project]);
  say(`VS Code opens ${project}: the OpenThymos view (shield icon) lists the pending proposals; approve or reject them per hunk, per file or all at once.`);
  say(`the project stays in ${project}; delete ${demoRoot} when you are done.`);
  process.exit(0);
}

// ---------------------------------------------------------------- 3b. browser-based VS Code (code-server)
const node24 = join(tools, 'node24', 'bin', 'node');
const codeServer = join(tools, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
if (!existsSync(join(tools, 'node24', '.complete')) || !existsSync(join(tools, 'cs', '.complete'))) {
  say(`\`code\` is not on PATH, so the demo uses code-server (browser-based VS Code); installing it into ${tools} (a few minutes, once)`);
  run('install code-server', 'bash', [join(repository, 'tests', 'e2e', 'setup.sh'), tools], { env: { ...process.env, OPENTHYMOS_SETUP_SKIP_BROWSER: '1' } });
}
const state = join(demoRoot, 'code-server');
const dirs = { ud: join(state, 'ud'), ext: join(state, 'ext'), tmp: join(state, 'tmp'), xdgConfig: join(state, 'xdg-config'), xdgData: join(state, 'xdg-data') };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
mkdirSync(join(dirs.ud, 'User'));
writeFileSync(join(dirs.ud, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
}, null, 2));
const config = join(state, 'config.yaml');
writeFileSync(config, '');
const serverEnv = { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, TMPDIR: dirs.tmp, EXTENSIONS_GALLERY: '{}', OPENTHYMOS_KEY_DIR: keys };
const csArgs = ['--config', config, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext];
cleanups.push(async () => { rmSync(demoRoot, { recursive: true, force: true }); });

const install = spawnSync(node24, [codeServer, ...csArgs, '--install-extension', vsix, '--force'], { env: serverEnv, encoding: 'utf8' });
if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
  await cleanUp();
  fail(`code-server could not install ${vsix}: ${(install.stdout + install.stderr).trim().split('\n').slice(-2).join(' / ')}`);
}
say(`installed ${vsix} into code-server`);

// Its own process group: stopping it must also stop its extension host and the sidecar that one started.
const serverLog = createWriteStream(join(demoRoot, 'code-server.log'));
const server = spawn(node24, [codeServer, ...csArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', project],
{ env: serverEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
cleanups.push(async () => {
  try { process.kill(-server.pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 40 && server.exitCode === null && server.signalCode === null; i++) await sleep(250);
  try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
});
let output = '';
const listening = await new Promise((ok) => {
  const timer = setTimeout(() => ok(null), 60000);
  const onData = (chunk) => {
    serverLog.write(chunk);
    output += chunk;
    const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) { clearTimeout(timer); ok(match[1]); }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.once('exit', () => { clearTimeout(timer); ok(null); });
});
if (listening === null) {
  const lastLines = output.trim().split('\n').slice(-3).join(' / ');
  await cleanUp();
  fail(`code-server did not start listening within 60 s: ${lastLines}`);
}
const url = `${listening}/?folder=${encodeURIComponent(project)}`;
say(`open ${url}`);

if (checkMode) {
  let status;
  try {
    status = (await fetch(url)).status;
  } catch (error) {
    status = error.message;
  }
  await cleanUp();
  if (status !== 200) fail(`fetching ${url} gave ${status}, expected HTTP 200`);
  if (existsSync(demoRoot)) fail(`the demo did not clean up ${demoRoot}`);
  say(`check passed: proposals pending, ${url} answered 200, code-server stopped, ${demoRoot} removed`);
  process.exit(0);
}
say('the OpenThymos view (shield icon in the activity bar) lists the pending proposals; approve or reject them per hunk, per file or all at once. Ctrl+C stops the demo and removes its folder.');
server.once('exit', (code) => {
  if (stopping) return;
  void cleanUp().then(() => fail(`code-server exited (code ${code}); see the log above.`));
});
