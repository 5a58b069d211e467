// The sidecar started the way the extension starts it: vscode-languageclient's stdio transport appends
// --stdio and sends LSP initialize params (rootUri, workspaceFolders, initializationOptions.reviewer).
// A real proposal's hunks map to the editor lines the extension decorates (model.hunkLineRange).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect } from 'node:net';
import rpc from 'vscode-jsonrpc/node';
import { importExtensionModule } from './compile.mjs';

const repository = resolve(import.meta.dirname, '..', '..');
const sidecarDll = process.env.THYMOS_SIDECAR_DLL
  ?? join(repository, 'server', 'OpenThymos.Server', 'bin', 'Debug', 'net10.0', 'OpenThymos.Server.dll');
const protocol = await importExtensionModule('protocol');
const model = await importExtensionModule('model');

test('the sidecar accepts the languageclient launch and LSP initialize, and hunks map to the decorated lines', { timeout: 120000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'thymos-lc-'));
  const workspace = join(root, 'workspace');
  const keys = join(root, 'keys');
  mkdirSync(workspace);
  const original = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n';
  writeFileSync(join(workspace, 'app.txt'), original);
  const child = spawn('dotnet', [sidecarDll, '--workspace', workspace, '--log-level', 'info', '--key-dir', keys, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: workspace });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
  const editor = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  editor.listen();
  let agent;
  try {
    const folderUri = pathToFileURL(workspace).href;
    const init = await editor.sendRequest(protocol.InitializeRequest, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
      locale: 'en',
      rootPath: workspace,
      rootUri: folderUri,
      capabilities: { workspace: { applyEdit: true, workspaceFolders: true }, textDocument: { synchronization: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
      initializationOptions: { reviewer: 'lc-test' },
      trace: 'off',
      workspaceFolders: [{ uri: folderUri, name: 'workspace' }],
    });
    assert.equal(init.capabilities.openThymosProtocol, 1);
    await editor.sendNotification(protocol.InitializedNotification, {});

    const granted = await editor.sendRequest(protocol.WritIssueRequest, { agent: 'lc-agent', include: ['**'], effects: ['modify'], lifetimeSeconds: 600 });
    const socket = connect(init.workspace.agentSocket);
    await new Promise((resolvePromise, reject) => { socket.once('connect', resolvePromise); socket.once('error', reject); });
    agent = rpc.createMessageConnection(new rpc.StreamMessageReader(socket), new rpc.StreamMessageWriter(socket));
    agent.listen();
    await agent.sendRequest(protocol.SessionOpenRequest, { token: granted.token });
    const read = await agent.sendRequest(protocol.FileReadRequest, { path: 'app.txt' });
    const submitted = await agent.sendRequest(protocol.IntentSubmitRequest, {
      nonce: 'lc-1',
      files: [{ kind: 'modify', path: 'app.txt', baseHash: read.hash, edits: [{ search: 'two\n', replace: 'TWO\n2b\n' }, { search: 'seven\neight\n', replace: 'SEVEN\n' }] }],
    });
    assert.equal(submitted.outcome, 'staged');

    const list = await editor.sendRequest(protocol.ProposalListRequest, { statuses: ['pending', 'partiallyApproved'] });
    const groups = model.groupPending(list.proposals);
    assert.deepEqual(groups.map((g) => [g.agent, g.pendingCount]), [['lc-agent', 2]]);

    const detail = await editor.sendRequest(protocol.ProposalGetRequest, { proposalId: submitted.proposalId });
    const file = detail.files[0];
    const lines = original.split('\n');
    const ranges = file.hunks.map((h) => model.hunkLineRange(h, file.hunks));
    assert.deepEqual(ranges.map((r) => lines.slice(r.start, r.end + 1)), [['two'], ['seven', 'eight']]);
    assert.ok(file.hunks.every((h, i) => model.hunkMatchesDocument(h, ranges[i], (n) => lines[n])));

    // Approve the first hunk: the file on disk shifts by +1 line, and the second hunk's range follows.
    const approved = await editor.sendRequest(protocol.ProposalApproveRequest, { proposalId: submitted.proposalId, revision: detail.proposal.revision, hunks: [model.hunkSelector('app.txt', file.hunks[0].id)] });
    assert.equal(approved.outcome, 'committed');
    const after = await editor.sendRequest(protocol.ProposalGetRequest, { proposalId: submitted.proposalId });
    const onDisk = readFileSync(join(workspace, 'app.txt'), 'utf8').split('\n');
    const f2 = after.files[0];
    const pending = f2.hunks.filter((h) => h.status === 'pending');
    assert.equal(pending.length, 1);
    const r2 = model.hunkLineRange(pending[0], f2.hunks);
    assert.deepEqual(onDisk.slice(r2.start, r2.end + 1), ['seven', 'eight']);
    assert.ok(model.hunkMatchesDocument(pending[0], r2, (n) => onDisk[n]));

    await editor.sendRequest(protocol.ShutdownRequest);
    await editor.sendNotification(protocol.ExitNotification);
    assert.equal(await exited, 0, stderr);
  } finally {
    agent?.dispose();
    editor.dispose();
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
});
