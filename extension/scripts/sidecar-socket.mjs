// A client for a running sidecar's agent socket (<key dir>/<workspace id>/agent.sock), the surface agents and
// scripts use. Shared by the demo's agents (demo-agent.mjs) and the e2e test's scripted agent
// (tests/e2e/agent.mjs), so both speak to the sidecar the same way.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const repository = resolve(import.meta.dirname, '..', '..');
const rpc = createRequire(join(repository, 'package.json'))('vscode-jsonrpc/node');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until some `<keyDir>/<id>/agent.sock` is a socket and its `operator.token` is readable. */
export async function waitForSidecar(keyDir, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const id of existsSync(keyDir) ? readdirSync(keyDir) : []) {
      const socketPath = join(keyDir, id, 'agent.sock');
      const tokenPath = join(keyDir, id, 'operator.token');
      try {
        const operatorToken = statSync(socketPath).isSocket() ? readFileSync(tokenPath, 'utf8').trim() : '';
        if (operatorToken !== '') return { workspaceId: id, socketPath, operatorToken };
      } catch { /* not there yet */ }
    }
    if (Date.now() > deadline) {
      throw new Error(`no sidecar socket (<key dir>/*/agent.sock with operator.token) appeared under ${keyDir} within ${timeoutMs / 1000} s; check the sidecar's messages above.`);
    }
    await sleep(200);
  }
}

/** Opens a JSON-RPC connection on the socket and a session with a writ token or the operator token. */
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
