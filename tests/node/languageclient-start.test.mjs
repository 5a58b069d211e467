// The sidecar started the way the extension starts it: vscode-languageclient's stdio transport appends
// --stdio and sends LSP initialize params (rootUri, workspaceFolders, initializationOptions.reviewer).
// A real proposal's hunks map to the editor lines the extension decorates (model.hunkLineRange).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importExtensionModule } from './compile.mjs';
import { startSidecar } from './sidecarProcess.mjs';
const protocol = await importExtensionModule('protocol');
const model = await importExtensionModule('review/model');

test('the sidecar accepts the languageclient launch and LSP initialize, and hunks map to the decorated lines', { timeout: 120000 }, async () => {
  const original = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n';
  const sidecar = startSidecar('thymos-lc-', { 'app.txt': original }, ['--log-level', 'info', '--stdio']);
  const { workspace, editor, exited } = sidecar;
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
    const agent = await sidecar.connectAgent(init.workspace.agentSocket);
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
    assert.equal(await exited, 0, sidecar.stderr());
  } finally {
    sidecar.dispose();
  }
});
