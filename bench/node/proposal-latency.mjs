// Proposal submitted by an agent (over the agent socket) → proposal/didChange received by the editor's
// vscode-jsonrpc client over stdio. Also times a small editor round trip (policy/get) on the same
// connection as the anchor. Prints one JSON object: { didChangeMs: [...], roundTripMs: [...], hops: {...} }.
// hops: per measured submission, the milliseconds each hop took, from the points the sidecar traced
// (OPENTHYMOS_LATENCY_TRACE; its clock is CLOCK_MONOTONIC, like process.hrtime here) and the client's own
// points: the last stdout chunk before the notification was handled, and the handler itself.
// Environment: BENCH_SIDECAR (JSON array: program and leading arguments), BENCH_FOLDER (empty folder),
// BENCH_ITERATIONS, BENCH_WARMUP.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
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

const tracePath = join(folder, 'latency-trace.jsonl');
// Milliseconds on CLOCK_MONOTONIC, the clock the sidecar's trace uses.
const now = () => Number(process.hrtime.bigint()) / 1e6;
const child = spawn(program, [...prefix, '--workspace', workspace, '--key-dir', keys], {
  stdio: ['pipe', 'pipe', 'inherit'],
  cwd: workspace,
  env: { ...process.env, OPENTHYMOS_LATENCY_TRACE: tracePath },
});
// Registered before the message reader, so it runs first for each chunk: the time the bytes reached this process.
let lastChunkAt = 0;
child.stdout.on('data', () => { lastChunkAt = now(); });
const editor = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const seen = new Map();
const arrived = new Map();
const waiters = new Map();
editor.onNotification('proposal/didChange', (params) => {
  const id = params.proposal?.proposalId;
  if (params.proposal?.status !== 'pending' || seen.has(id)) return;
  const handled = now();
  seen.set(id, handled);
  arrived.set(id, lastChunkAt);
  waiters.get(id)?.(handled);
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
const sentAt = new Map();
for (let i = 0; i < warmup + iterations; i++) {
  const line = i % 200;
  const start = now();
  const submitted = await agent.sendRequest('intent/submit', {
    nonce: `bench-${i}`,
    description: 'bench edit',
    files: [{ kind: 'modify', path: 'app.txt', baseHash: read.hash, edits: [{ search: `setting ${line} = 0\n`, replace: `setting ${line} = ${i + 1}\n` }] }],
  });
  if (submitted.outcome !== 'staged') throw new Error(`submission ${i} was ${submitted.outcome}`);
  const noticed = await noticeOf(submitted.proposalId);
  const roundStart = now();
  await editor.sendRequest('policy/get', {});
  const roundEnd = now();
  if (i >= warmup) {
    sentAt.set(submitted.proposalId, start);
    didChangeMs.push(noticed - start);
    roundTripMs.push(roundEnd - roundStart);
  }
}

await editor.sendRequest('shutdown');
await editor.sendNotification('exit');
agent.dispose();
socket.destroy();
await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
// Per measured submission: each traced point as the time since the previous one (the hop's own cost), in the
// order the hops happen, plus the whole path minus the runtime's share (submit start → durable).
const order = ['Received', 'Dispatched', 'SubmitStarted', 'Durable', 'ChangeRaised', 'Enqueued', 'Sending', 'Formatted', 'Written', 'ClientBytesArrived', 'ClientHandled'];
const hops = {};
const add = (name, value) => (hops[name] ??= []).push(value);
if (existsSync(tracePath)) {
  for (const line of readFileSync(tracePath, 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line);
    const start = sentAt.get(row.proposalId);
    if (start === undefined) continue;
    const at = { Sent: start, ClientBytesArrived: arrived.get(row.proposalId), ClientHandled: seen.get(row.proposalId) };
    for (const name of order.slice(0, -2)) if (row[name] > 0) at[name] = row[name] / 1e6;
    if (!order.every((name) => at[name] !== undefined)) continue;
    let previous = start;
    for (const name of order) {
      add(name, at[name] - previous);
      previous = at[name];
    }
    add('OutsideRuntime', at.ClientHandled - start - (at.Durable - at.SubmitStarted));
  }
}
process.stdout.write(JSON.stringify({ didChangeMs, roundTripMs, hops }) + '\n');
editor.dispose();
