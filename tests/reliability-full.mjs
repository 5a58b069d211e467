#!/usr/bin/env node
// The full reliability run (issue 6): every part of tests/OpenThymos.Reliability.Tests at its documented full size,
// one part at a time so no part's figures are measured beside another's, with the figures each test prints gathered
// into one Markdown report (machine, date, commit, the exact command of every part). CI runs the same tests at their
// bounded sizes inside `npm test`; this is the long run whose figures docs/reliability.md records.
//
//   node tests/reliability-full.mjs [--out report.md] [--only crash,tamper,...]
//
// Sizes can be lowered for a quick run through the same variables the tests read (THYMOS_CRASH_KILLS, ...).
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = 'tests/OpenThymos.Reliability.Tests';

/** The parts, in the order of the issue's sections; `env` holds the full sizes (an existing variable wins). */
const parts = [
  { name: 'crash', title: 'Crash safety: SIGKILLs of the real sidecar', filter: 'CrashThroughTheSidecarTests', env: { THYMOS_CRASH_KILLS: '1000' } },
  { name: 'tamper', title: 'Tamper evidence: mutations of a real ledger', filter: 'TamperEvidenceTests', env: { THYMOS_TAMPER_MUTATIONS: '20000' } },
  { name: 'rawflip', title: 'Tamper evidence: bit flips in the ledger file', filter: 'RawFileTamperTests', env: { THYMOS_RAWFLIP_MUTATIONS: '5000' } },
  { name: 'hostile', title: 'Hostile agents: socket, thymos mcp, raw frames', filter: 'HostileAgentTests', env: {} },
  { name: 'concurrent', title: 'Hostile clients at once beside honest work', filter: 'ConcurrentHostileClientsTests', env: {} },
  { name: 'load', title: 'Load: 10 agents and a reviewer; a second sidecar', filter: 'LoadTests', env: { THYMOS_LOAD_PROPOSALS: '1000' } },
  { name: 'protocol', title: 'Bad protocol input', filter: 'BadProtocolInputTests', env: {} },
  { name: 'flood', title: 'A client opening connections without end', filter: 'ConnectionFloodTests', env: {} },
];

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(',')) : undefined;
if ((outIndex >= 0 && !out) || (onlyIndex >= 0 && !args[onlyIndex + 1])) {
  console.error('usage: node tests/reliability-full.mjs [--out report.md] [--only crash,tamper,rawflip,hostile,concurrent,load,protocol,flood]');
  process.exit(2);
}
const unknown = only ? [...only].filter((name) => !parts.some((part) => part.name === name)) : [];
if (unknown.length > 0) {
  console.error(`reliability-full: no part named ${unknown.join(', ')}; the parts are ${parts.map((p) => p.name).join(', ')}.`);
  process.exit(2);
}

function text(command, commandArgs) {
  try {
    return execFileSync(command, commandArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, .NET SDK ${text('dotnet', ['--version'])}, Node ${process.version}`;
}

const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' / ');

/** Runs a command with its output passed through, and returns that output. */
function run(command, commandArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The lines the tests printed (xUnit's "Standard Output Messages" blocks), and the pass or fail line of each test. */
function figures(output) {
  const lines = [];
  let inMessages = false;
  for (const line of output.split('\n')) {
    if (/^\s+(Passed|Failed) OpenThymos\./.test(line)) {
      lines.push(line.trim());
      inMessages = false;
    } else if (/Standard Output Messages:/.test(line)) {
      inMessages = true;
    } else if (inMessages && line.trim() === '') {
      inMessages = false;
    } else if (inMessages) {
      lines.push('  ' + line.trim());
    }
  }
  return lines;
}

const started = new Date();
const commit = text('git', ['rev-parse', '--short', 'HEAD']) + (text('git', ['status', '--porcelain']) === '' ? '' : ' (with uncommitted changes)');
const report = [
  `# Full reliability run, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `- Command: \`node tests/reliability-full.mjs${out ? ` --out ${out}` : ''}${only ? ` --only ${[...only].join(',')}` : ''}\``,
  `- Commit: ${commit}`,
  `- Machine: ${machine()}`,
  `- Load average (1 / 5 / 15 min) at the start: ${load()}`,
  '',
];

console.log('reliability-full: building the solution (Debug, as CI does)');
const build = await run('dotnet', ['build', 'OpenThymos.sln', '-v', 'q', '-nologo'], {});
if (build.code !== 0) {
  console.error('reliability-full: the build failed; nothing was run.');
  process.exit(1);
}

let failed = 0;
for (const part of parts.filter((p) => !only || only.has(p.name))) {
  const env = Object.fromEntries(Object.entries(part.env).map(([key, value]) => [key, process.env[key] ?? value]));
  const commandArgs = ['test', project, '--no-build', '--filter', `FullyQualifiedName~${part.filter}`, '--logger', 'console;verbosity=detailed'];
  const shown = `${Object.entries(env).map(([key, value]) => `${key}=${value} `).join('')}dotnet ${commandArgs.map((a) => (a.includes(' ') || a.includes(';') ? `"${a}"` : a)).join(' ')}`;
  console.log(`\nreliability-full: ${part.name}: ${shown}`);
  const loadBefore = load();
  const clock = process.hrtime.bigint();
  const result = await run('dotnet', commandArgs, env);
  const seconds = Number(process.hrtime.bigint() - clock) / 1e9;
  const lines = figures(result.output);
  const ran = lines.filter((line) => /^(Passed|Failed) /.test(line)).length;
  const verdict = result.code === 0 && ran > 0 ? 'passed' : 'FAILED';
  if (verdict !== 'passed') {
    failed++;
  }
  report.push(`## ${part.title} (\`${part.name}\`)`, '');
  report.push(`\`${shown}\` — ${verdict}, ${ran} test(s), ${seconds.toFixed(0)} s wall, load average ${loadBefore} before`, '');
  report.push('```text', ...(lines.length > 0 ? lines : ['(the tests printed nothing; see the console output)']), '```', '');
}

report.push(`Finished ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average at the end ${load()}; ${failed === 0 ? 'every part passed' : `${failed} part(s) FAILED`}.`, '');
const markdown = report.join('\n');
if (out) {
  writeFileSync(path.resolve(process.cwd(), out), markdown);
  console.log(`\nreliability-full: report written to ${out}`);
} else {
  console.log('\n' + markdown);
}
process.exit(failed === 0 ? 0 : 1);
