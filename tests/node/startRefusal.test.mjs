// A folder the sidecar refuses for its identity: a ledger restored from an older copy (behind the head recorded outside
// the workspace) and a copied workspace folder. The real sidecar answers the languageclient's initialize with its own
// code (LedgerRolledBack, WorkspaceCopied), a message that says what to run, and the command in the error's data; the
// extension shows that message once with the command to copy and does not restart the sidecar (sidecarStartFailure.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importExtensionModule } from './compile.mjs';
import { startSidecar, startSecondSidecar } from './sidecarProcess.mjs';
const protocol = await importExtensionModule('protocol');
const { startFailure } = await importExtensionModule('sidecar/sidecarStartFailure');

const initializeParams = (workspace) => ({
  processId: process.pid,
  rootUri: pathToFileURL(workspace).href,
  capabilities: {},
  initializationOptions: { reviewer: 'start-refusal' },
  workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
});

/** Initializes a sidecar, runs `body`, shuts it down; returns the ledger head at the end. */
async function serveOnce(sidecar, workspace, body = async () => {}) {
  await sidecar.editor.sendRequest(protocol.InitializeRequest, initializeParams(workspace));
  await body(sidecar.editor);
  const head = (await sidecar.editor.sendRequest(protocol.LedgerListEntriesRequest, { limit: 1 })).headSeq;
  await sidecar.editor.sendRequest(protocol.ShutdownRequest);
  await sidecar.editor.sendNotification(protocol.ExitNotification);
  assert.equal(await sidecar.exited, 0);
  sidecar.editor.dispose();
  return head;
}

/** Sends initialize to a sidecar that must refuse; returns the error after the sidecar exited with code 5. */
async function refusedInitialize(sidecar, workspace) {
  const answered = sidecar.editor.sendRequest(protocol.InitializeRequest, initializeParams(workspace)).then(
    () => assert.fail('the sidecar answered initialize as if it could serve the folder'),
    (error) => ({ error }),
  );
  // A sidecar that exits without answering leaves the editor with a dropped connection and no reason.
  const outcome = await Promise.race([answered, sidecar.exited.then((code) => ({ exitCode: code }))]);
  if (outcome.error === undefined) assert.fail(`the sidecar exited with code ${outcome.exitCode} without answering initialize; stderr: ${sidecar.stderr()}`);
  const refused = outcome.error;
  sidecar.closeInput(); // as the editor does after a failed initialize
  assert.equal(await sidecar.exited, 5);
  return refused;
}

test('a ledger restored from an older copy: initialize is refused with LedgerRolledBack, and the window shows the message once with the accept-restored command to copy', { timeout: 120000 }, async () => {
  const first = startSidecar('thymos-rolledback-', { 'a.txt': 'alpha\n' }, ['--stdio']);
  const others = [];
  try {
    const restoredHead = await serveOnce(first, first.workspace);
    const thymos = join(first.workspace, '.thymos');
    const backup = join(dirname(first.workspace), 'backup');
    mkdirSync(backup);
    for (const name of ['ledger.db', 'ledger-log.db']) copyFileSync(join(thymos, name), join(backup, name));

    const second = startSecondSidecar(first, ['--stdio']);
    others.push(second);
    const recordedHead = await serveOnce(second, first.workspace, (editor) =>
      editor.sendRequest(protocol.WritIssueRequest, { agent: 'bot', include: ['**'], effects: ['modify'], lifetimeSeconds: 3600 }));
    assert.ok(recordedHead > restoredHead, `the writ moved the head from ${restoredHead} to ${recordedHead}`);
    for (const name of ['ledger.db', 'ledger-log.db']) copyFileSync(join(backup, name), join(thymos, name));

    const third = startSecondSidecar(first, ['--stdio']);
    others.push(third);
    const refused = await refusedInitialize(third, first.workspace);
    const command = `thymos accept-restored --workspace ${first.workspace} --key-dir ${first.keys}`;
    assert.equal(refused.code, protocol.ErrorCodes.LedgerRolledBack);
    assert.match(refused.message, /is behind the head recorded outside the workspace/);
    assert.ok(refused.message.includes(`it ends at entry ${restoredHead} `), refused.message);
    assert.ok(refused.message.includes(`records entry ${recordedHead} `), refused.message);
    assert.ok(refused.message.includes(`\`${command}\``), refused.message);
    assert.deepEqual(refused.data, { folder: first.workspace, command });

    const shown = startFailure('workspace', refused);
    assert.deepEqual([shown.refused, shown.heldElsewhere, shown.command], [true, false, command]);
    assert.ok(shown.text.startsWith(`OpenThymos did not start for 'workspace': The ledger '${join(thymos, 'ledger.db')}' is behind`), shown.text);
    assert.match(shown.text, /"OpenThymos: Refresh"/);
    assert.deepEqual(readFileSync(join(thymos, 'ledger.db')), readFileSync(join(backup, 'ledger.db')), 'the refused sidecar wrote to the ledger');
  } finally {
    for (const other of others) other.dispose();
    first.dispose();
  }
});

test('a copied workspace folder: initialize is refused with WorkspaceCopied naming both folders, and the window shows the message once with the command to copy', { timeout: 120000 }, async () => {
  const first = startSidecar('thymos-copied-', { 'a.txt': 'alpha\n' }, ['--stdio']);
  let copySidecar;
  try {
    await serveOnce(first, first.workspace);
    const copy = join(dirname(first.workspace), 'copy');
    cpSync(first.workspace, copy, { recursive: true });

    copySidecar = startSecondSidecar({ workspace: copy, keys: first.keys }, ['--stdio']);
    const refused = await refusedInitialize(copySidecar, copy);
    const command = `rm ${join(copy, '.thymos', 'ledger.db')} ${join(copy, '.thymos', 'ledger-log.db')}`;
    assert.equal(refused.code, protocol.ErrorCodes.WorkspaceCopied);
    assert.ok(refused.message.startsWith(`The folder '${copy}' holds a copy of workspace `), refused.message);
    assert.ok(refused.message.includes(`which belongs to '${first.workspace}'`), refused.message);
    assert.deepEqual(refused.data, { folder: copy, command });

    const shown = startFailure('copy', refused);
    assert.deepEqual([shown.refused, shown.heldElsewhere, shown.command], [true, false, command]);
    assert.ok(shown.text.startsWith(`OpenThymos did not start for 'copy': The folder '${copy}' holds a copy`), shown.text);

    // A LedgerHeld refusal names no command; any other failure is not a refusal (it may be restarted).
    const held = startFailure('workspace', { code: protocol.ErrorCodes.LedgerHeld, message: 'The ledger is held by another process: pid 1.', data: { folder: first.workspace } });
    assert.deepEqual([held.refused, held.heldElsewhere, held.command], [true, true, undefined]);
    const other = startFailure('workspace', new Error('spawn ENOENT'));
    assert.deepEqual([other.refused, other.heldElsewhere, other.command], [false, false, undefined]);
  } finally {
    copySidecar?.dispose();
    first.dispose();
  }
});
