// A scripted agent for the real-editor e2e test: talks to the sidecar that the extension started,
// over its agent socket (<key dir>/<workspaceId>/agent.sock), with vscode-jsonrpc from the repo.
//   1. waitForSidecar(keyDir): polls for agent.sock and operator.token.
//   2. issueWrit(): operator session (session/open with the operator token) -> writ/issue.
//   3. Agent session (session/open with the writ token) -> file/read -> intent/submit.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const repository = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(repository, 'package.json'));
const rpc = require('vscode-jsonrpc/node');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until some `<keyDir>/<id>/agent.sock` is a socket and its `operator.token` is readable. */
export async function waitForSidecar(keyDir, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(keyDir)) {
      for (const id of readdirSync(keyDir)) {
        const socketPath = join(keyDir, id, 'agent.sock');
        const tokenPath = join(keyDir, id, 'operator.token');
        try {
          if (statSync(socketPath).isSocket() && existsSync(tokenPath)) {
            const operatorToken = readFileSync(tokenPath, 'utf8').trim();
            if (operatorToken) return { workspaceId: id, socketPath, operatorToken };
          }
        } catch { /* not there yet */ }
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no <key dir>/*/agent.sock with operator.token under ${keyDir} within ${timeoutMs} ms`);
    }
    await sleep(250);
  }
}

/** Opens a JSON-RPC connection on the socket and a session with the given token. */
export async function openSession(socketPath, token) {
  const socket = connect(socketPath);
  await new Promise((ok, fail) => { socket.once('connect', ok); socket.once('error', fail); });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(socket), new rpc.StreamMessageWriter(socket));
  connection.listen();
  const session = await connection.sendRequest('session/open', { token });
  return {
    role: session.role,
    session,
    request: (method, params) => connection.sendRequest(method, params),
    dispose: () => { connection.dispose(); socket.destroy(); },
  };
}

/** Issues a writ through an operator session and returns its token. */
export async function issueWrit(sidecar, { agent = 'e2e-agent', include = ['**'], effects = ['create', 'modify'], lifetimeSeconds = 3600 } = {}) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  try {
    if (operator.role !== 'operator') throw new Error(`operator token opened a '${operator.role}' session`);
    const issued = await operator.request('writ/issue', { agent, include, effects, lifetimeSeconds });
    return issued.token;
  } finally {
    operator.dispose();
  }
}

let nonceCounter = 0;

/**
 * As the agent: reads `path` and submits one modify intent with the given search/replace edits.
 * Returns the intent/submit result ({outcome, proposalId, status, message}).
 */
export async function proposeEdits(sidecar, writToken, path, edits, description = 'e2e edit') {
  const agent = await openSession(sidecar.socketPath, writToken);
  try {
    if (agent.role !== 'agent') throw new Error(`writ token opened a '${agent.role}' session`);
    const read = await agent.request('file/read', { path });
    return await agent.request('intent/submit', {
      nonce: `e2e-${process.pid}-${Date.now()}-${++nonceCounter}`,
      description,
      files: [{ kind: 'modify', path, baseHash: read.hash, edits }],
    });
  } finally {
    agent.dispose();
  }
}

/** As the operator: runs one editor-surface request (e.g. proposal/list) for checks. */
export async function operatorRequest(sidecar, method, params) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  try {
    return await operator.request(method, params);
  } finally {
    operator.dispose();
  }
}

// Command line, for trying it by hand: node tests/e2e/agent.mjs KEY_DIR PATH SEARCH REPLACE [SEARCH REPLACE ...]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [keyDir, path, ...pairs] = process.argv.slice(2);
  if (!keyDir || !path || pairs.length < 2 || pairs.length % 2) {
    console.error('usage: node tests/e2e/agent.mjs KEY_DIR PATH SEARCH REPLACE [SEARCH REPLACE ...]');
    process.exit(2);
  }
  const edits = [];
  for (let i = 0; i < pairs.length; i += 2) edits.push({ search: pairs[i], replace: pairs[i + 1] });
  const sidecar = await waitForSidecar(keyDir, 30000);
  const token = await issueWrit(sidecar);
  console.log(JSON.stringify(await proposeEdits(sidecar, token, path, edits), null, 2));
  process.exit(0);
}
