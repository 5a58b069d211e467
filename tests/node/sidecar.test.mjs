// End to end through the real sidecar binary with vscode-jsonrpc, the library VS Code itself uses:
// initialize over stdio, submit through the agent socket, see proposal/didChange, approve one hunk,
// see the file change in exactly that hunk, see ledger/didAppend, verify, shut down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protocol from '../../out/protocol.js';
import { nextNotification, startSidecar } from './sidecarProcess.mjs';

test('an agent proposes over the socket and an editor approves one hunk over stdio', { timeout: 120000 }, async () => {
  const original = 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n';
  const sidecar = startSidecar('thymos-node-', { 'app.txt': original });
  const { workspace, editor, exited } = sidecar;
  try {
    const init = await editor.sendRequest(protocol.InitializeRequest, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { reviewer: 'node-test' },
    });
    assert.equal(init.capabilities.openThymosProtocol, 1);
    await editor.sendNotification(protocol.InitializedNotification, {});

    const granted = await editor.sendRequest(protocol.WritIssueRequest, {
      agent: 'node-agent', include: ['**'], effects: ['create', 'modify'], lifetimeSeconds: 600,
    });
    assert.match(granted.token, /^thymos-writ-v1\./);

    const agent = await sidecar.connectAgent(init.workspace.agentSocket);
    const session = await agent.sendRequest(protocol.SessionOpenRequest, { token: granted.token });
    assert.equal(session.role, 'agent');
    const read = await agent.sendRequest(protocol.FileReadRequest, { path: 'app.txt' });
    assert.equal(read.text, original);

    const staged = nextNotification(editor, protocol.ProposalDidChangeNotification, (p) => p.proposal.status === 'pending');
    const submitted = await agent.sendRequest(protocol.IntentSubmitRequest, {
      nonce: 'node-1',
      description: 'two edits',
      files: [{ kind: 'modify', path: 'app.txt', baseHash: read.hash, edits: [{ search: 'line 2', replace: 'LINE TWO' }, { search: 'line 7', replace: 'LINE SEVEN' }] }],
    });
    assert.equal(submitted.outcome, 'staged');
    const changed = await staged;
    assert.equal(changed.proposal.proposalId, submitted.proposalId);
    assert.equal(readFileSync(join(workspace, 'app.txt'), 'utf8'), original, 'nothing is written before approval');

    const detail = await editor.sendRequest(protocol.ProposalGetRequest, { proposalId: submitted.proposalId });
    assert.equal(detail.files[0].hunks.length, 2);
    const second = detail.files[0].hunks[1];

    const appended = nextNotification(editor, protocol.LedgerDidAppendNotification, (p) => p.entry.kind === 'commit');
    const decided = await editor.sendRequest(protocol.ProposalApproveRequest, {
      proposalId: submitted.proposalId, revision: detail.proposal.revision, hunks: [`app.txt#${second.id}`],
    });
    assert.equal(decided.outcome, 'committed');
    const commit = await appended;
    assert.equal(commit.entry.seq, decided.commitSeq);
    assert.equal(readFileSync(join(workspace, 'app.txt'), 'utf8'), original.replace('line 7', 'LINE SEVEN'));

    const status = await agent.sendRequest(protocol.ProposalGetStatusRequest, { proposalId: submitted.proposalId });
    assert.equal(status.status, 'pending');

    const verified = await editor.sendRequest(protocol.LedgerVerifyRequest, {});
    assert.equal(verified.valid, true, JSON.stringify(verified.problems));
    assert.ok(verified.entriesChecked >= 6);

    await editor.sendRequest(protocol.ShutdownRequest);
    await editor.sendNotification(protocol.ExitNotification);
    assert.equal(await exited, 0, sidecar.stderr());
  } finally {
    sidecar.dispose();
  }
});
