// Through the real sidecar binary: a reviewer's amendment (what VS Code sends when the proposal side of the
// diff is saved) becomes a revision that approval writes byte for byte; agents cannot amend; a file changed
// on disk under a pending proposal makes it stale at once, and a stale proposal is never applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protocol from '../../out/protocol.js';
import { nextNotification, startSidecar } from './sidecarProcess.mjs';

async function errorCodeOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error.code;
  }
  return undefined;
}

/** Starts the sidecar, initializes an editor, grants a writ and submits one edit as the agent. */
async function proposeOne(files, path, search, replace) {
  const sidecar = startSidecar('thymos-amend-', files);
  const init = await sidecar.editor.sendRequest(protocol.InitializeRequest, {
    processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { reviewer: 'node-reviewer' },
  });
  await sidecar.editor.sendNotification(protocol.InitializedNotification, {});
  const granted = await sidecar.editor.sendRequest(protocol.WritIssueRequest, { agent: 'node-agent', include: ['**'], effects: ['modify'], lifetimeSeconds: 600 });
  const agent = await sidecar.connectAgent(init.workspace.agentSocket);
  await agent.sendRequest(protocol.SessionOpenRequest, { token: granted.token });
  const read = await agent.sendRequest(protocol.FileReadRequest, { path });
  const staged = nextNotification(sidecar.editor, protocol.ProposalDidChangeNotification, (p) => p.proposal.status === 'pending');
  const submitted = await agent.sendRequest(protocol.IntentSubmitRequest, {
    nonce: `n-${Date.now()}`, description: 'one edit', files: [{ kind: 'modify', path, baseHash: read.hash, edits: [{ search, replace }] }],
  });
  assert.equal(submitted.outcome, 'staged');
  await staged;
  return { sidecar, agent, proposalId: submitted.proposalId };
}

const runtimeCode = (name) => protocol.ErrorCodes.RuntimeErrorBase + protocol.RuntimeErrorCodes[name];

test('saving the proposal side records an amendment by the reviewer, and approving it writes exactly the amended bytes', { timeout: 120000 }, async () => {
  const original = 'alpha\nbeta\ngamma\n';
  const { sidecar, agent, proposalId } = await proposeOne({ 'a.txt': original }, 'a.txt', 'beta', 'BETA');
  try {
    const { editor, workspace } = sidecar;
    const amendedText = 'alpha\nbeta, as the reviewer wants it\ngamma\nand one more line\n';
    assert.equal(await errorCodeOf(agent.sendRequest(protocol.ProposalAmendRequest, { proposalId, revision: 1, path: 'a.txt', text: 'x\n' })), protocol.ErrorCodes.SessionRequired);

    const revised = nextNotification(editor, protocol.ProposalDidChangeNotification, (p) => p.proposal.revision === 2);
    const amended = await editor.sendRequest(protocol.ProposalAmendRequest, { proposalId, revision: 1, path: 'a.txt', text: amendedText });
    assert.deepEqual([amended.revision, amended.recorded, amended.hunks.length], [2, true, 2]);
    await revised;
    const entries = await editor.sendRequest(protocol.LedgerListEntriesRequest, { kinds: ['proposal.staged'] });
    assert.equal(entries.entries[0].actor, 'human:node-reviewer');
    assert.equal(readFileSync(join(workspace, 'a.txt'), 'utf8'), original, 'nothing is written before approval');

    assert.equal(await errorCodeOf(editor.sendRequest(protocol.ProposalAmendRequest, { proposalId, revision: 1, path: 'a.txt', text: 'older\n' })), runtimeCode('RevisionMismatch'));
    const decided = await editor.sendRequest(protocol.ProposalApproveRequest, { proposalId, revision: 2 });
    assert.equal(decided.outcome, 'committed');
    assert.deepEqual(readFileSync(join(workspace, 'a.txt')), Buffer.from(amendedText, 'utf8'));
    assert.equal(await errorCodeOf(editor.sendRequest(protocol.ProposalAmendRequest, { proposalId, revision: 2, path: 'a.txt', text: 'late\n' })), runtimeCode('ProposalNotPending'));
    const verified = await editor.sendRequest(protocol.LedgerVerifyRequest, {});
    assert.equal(verified.valid, true, JSON.stringify(verified.problems));
  } finally {
    sidecar.dispose();
  }
});

test('a file changed on disk in the proposal\'s lines makes it stale without an approval, and approving it writes nothing', { timeout: 120000 }, async () => {
  const { sidecar, proposalId } = await proposeOne({ 'b.txt': 'one\ntwo\nthree\n' }, 'b.txt', 'two', 'TWO');
  try {
    const { editor, workspace } = sidecar;
    const stale = nextNotification(editor, protocol.ProposalDidChangeNotification, (p) => p.proposal.proposalId === proposalId && p.proposal.status === 'stale');
    const users = 'one\ntwo, changed by the user\nthree\n';
    writeFileSync(join(workspace, 'b.txt'), users);
    const notified = await stale;
    assert.match(notified.proposal.reason ?? '', /b\.txt/);
    assert.equal(await errorCodeOf(editor.sendRequest(protocol.ProposalApproveRequest, { proposalId, revision: notified.proposal.revision })), runtimeCode('ProposalNotPending'));
    assert.equal(readFileSync(join(workspace, 'b.txt'), 'utf8'), users);
  } finally {
    sidecar.dispose();
  }
});
