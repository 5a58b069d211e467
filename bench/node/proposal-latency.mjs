// Proposal submitted by an agent (over the agent socket) → proposal/didChange received by the editor's
// vscode-jsonrpc client over stdio. Also times a small editor round trip (policy/get) on the same
// connection as the anchor. Prints one JSON object: { didChangeMs: [...], roundTripMs: [...] }.
// Environment: BENCH_SIDECAR (JSON array: program and leading arguments), BENCH_FOLDER (empty folder),
// BENCH_ITERATIONS, BENCH_WARMUP.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import rpc from 'vscode-jsonrpc/node';

const [program, ...prefix] = JSON.parse(process.env.BENCH_SIDECAR);
const folder = process.env.BENCH_FOLDER;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);
const warmup = Number(process.env.BENCH_WARMUP ?? 20);
const workspace = join(folder, 'workspace');
const keys = join(folder, 'keys');
mkdirSync(workspace, { recursive: true });
mkdirSync(keys, { recursive: true });
writeFileSync(join(workspace, 'app.txt'), Array.from({ length: 200 }, (_, i) => `setting ${i} = 0\n`).join(''));

const child = spawn(program, [...prefix, '--workspace', workspace, '--key-dir', keys], { stdio: ['pipe', 'pipe', 'inherit'], cwd: workspace });
const editor = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const seen = new Map();
const waiters = new Map();
editor.onNotification('proposal/didChange', (params) => {
  const id = params.proposal?.proposalId;
  if (params.proposal?.status !== 'pending' || seen.has(id)) return;
  const now = performance.now();
  seen.set(id, now);
  waiters.get(id)?.(now);
});
editor.onNotification('ledger/didAppend', () => {});
editor.onNotification('ledger/didProgress', () => {});
editor.listen();

function noticeOf(id) {
  if (seen.has(id)) return Promise.resolve(seen.get(id));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no proposal/didChange for ${id} within 20 s`)), 20000);
    waiters.set(id, (time) => { clearTimeout(timer); resolve(time); });
  });
}

const init = await editor.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
await editor.sendNotification('initialized', {});
const granted = await editor.sendRequest('writ/issue', { agent: 'bench-agent', include: ['**'], effects: ['create', 'modify'], lifetimeSeconds: 3600 });
const socket = connect(init.workspace.agentSocket);
await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
const agent = rpc.createMessageConnection(new rpc.StreamMessageReader(socket), new rpc.StreamMessageWriter(socket));
agent.listen();
await agent.sendRequest('session/open', { token: granted.token });
const read = await agent.sendRequest('file/read', { path: 'app.txt' });

const didChangeMs = [];
const roundTripMs = [];
for (let i = 0; i < warmup + iterations; i++) {
  const line = i % 200;
  const start = performance.now();
  const submitted = await agent.sendRequest('intent/submit', {
    nonce: `bench-${i}`,
    description: 'bench edit',
    files: [{ kind: 'modify', path: 'app.txt', baseHash: read.hash, edits: [{ search: `setting ${line} = 0\n`, replace: `setting ${line} = ${i + 1}\n` }] }],
  });
  if (submitted.outcome !== 'staged') throw new Error(`submission ${i} was ${submitted.outcome}`);
  const noticed = await noticeOf(submitted.proposalId);
  const roundStart = performance.now();
  await editor.sendRequest('policy/get', {});
  const roundEnd = performance.now();
  if (i >= warmup) {
    didChangeMs.push(noticed - start);
    roundTripMs.push(roundEnd - roundStart);
  }
}

await editor.sendRequest('shutdown');
await editor.sendNotification('exit');
agent.dispose();
socket.destroy();
process.stdout.write(JSON.stringify({ didChangeMs, roundTripMs }) + '\n');
editor.dispose();
