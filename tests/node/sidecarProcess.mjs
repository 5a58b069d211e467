// Shared by the Node tests that drive the real sidecar: a temp workspace, the sidecar process with an
// editor connection over its stdio, agent connections over its socket, and a teardown that leaves nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import rpc from 'vscode-jsonrpc/node';

const repository = resolve(import.meta.dirname, '..', '..');
// OPENTHYMOS_SIDECAR runs a published sidecar instead (npm test sets it to the Native AOT build in dist/sidecar);
// a path ending in .dll is run with `dotnet`, anything else directly.
const sidecar = process.env.OPENTHYMOS_SIDECAR
  || process.env.THYMOS_SIDECAR_DLL
  || join(repository, 'server', 'OpenThymos.Server', 'bin', 'Debug', 'net10.0', 'OpenThymos.Server.dll');
const [sidecarCommand, sidecarPrefix] = sidecar.endsWith('.dll') ? ['dotnet', [sidecar]] : [sidecar, []];

/**
 * Creates a temp workspace holding `files` (name → text), starts the sidecar on it with `extraArgs`,
 * and returns the editor connection, the workspace path, the exit promise and `stderr()`.
 */
export function startSidecar(prefix, files, extraArgs = []) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const workspace = join(root, 'workspace');
  const keys = join(root, 'keys');
  mkdirSync(workspace);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(workspace, name), text);
  }

  const { child, editor, exited, stderr } = spawnOn(workspace, keys, extraArgs);
  const agents = [];

  return {
    workspace,
    keys,
    pid: child.pid,
    editor,
    exited,
    stderr,
    /** Connects to the agent socket and returns a listening JSON-RPC connection. */
    async connectAgent(socketPath) {
      const socket = connect(socketPath);
      await new Promise((resolvePromise, reject) => { socket.once('connect', resolvePromise); socket.once('error', reject); });
      const agent = rpc.createMessageConnection(new rpc.StreamMessageReader(socket), new rpc.StreamMessageWriter(socket));
      agent.listen();
      agents.push(agent);
      return agent;
    },
    /** Disposes the connections, kills the sidecar if it still runs, and deletes the temp folders. */
    dispose() {
      for (const agent of agents) agent.dispose();
      editor.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Starts another sidecar on a folder a running one already serves, as a second editor window does; the caller
 * disposes it (its folders belong to the first).
 */
export function startSecondSidecar(first, extraArgs = []) {
  const { child, editor, exited, stderr } = spawnOn(first.workspace, first.keys, extraArgs);
  return {
    editor,
    exited,
    stderr,
    /** Closes the sidecar's stdin, as the editor does after a failed initialize. */
    closeInput() {
      child.stdin.end();
    },
    dispose() {
      editor.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function spawnOn(workspace, keys, extraArgs) {
  const child = spawn(sidecarCommand, [...sidecarPrefix, '--workspace', workspace, '--key-dir', keys, ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'], cwd: workspace });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
  const editor = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  editor.listen();
  return { child, editor, exited, stderr: () => stderr };
}

/** Resolves with the first notification of a type that satisfies a predicate, or rejects after a timeout. */
export function nextNotification(connection, type, predicate, timeoutMs = 20000) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type.method} within ${timeoutMs} ms`)), timeoutMs);
    const subscription = connection.onNotification(type, (params) => {
      if (predicate(params)) {
        clearTimeout(timer);
        subscription.dispose();
        resolvePromise(params);
      }
    });
  });
}
