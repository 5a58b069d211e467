// A second VS Code window on a folder starts a second sidecar, which finds the ledger held by the first: its answer to
// the languageclient's initialize names the holder (LedgerHeld), the extension shows that (sidecarStartFailure.ts),
// and the first sidecar keeps serving with its ledger untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { importExtensionModule } from './compile.mjs';
import { startSidecar, startSecondSidecar } from './sidecarProcess.mjs';
const protocol = await importExtensionModule('protocol');
const { startFailure } = await importExtensionModule('sidecar/sidecarStartFailure');

const initializeParams = (workspace) => ({
  processId: process.pid,
  rootUri: pathToFileURL(workspace).href,
  capabilities: {},
  initializationOptions: { reviewer: 'second-window' },
  workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
});

test('a second window\'s sidecar answers initialize with LedgerHeld naming the first, exits 3, and the first keeps serving', { timeout: 120000 }, async () => {
  const first = startSidecar('thymos-second-', { 'a.txt': 'alpha\n' }, ['--stdio']);
  let second;
  try {
    const init = await first.editor.sendRequest(protocol.InitializeRequest, initializeParams(first.workspace));
    const headBefore = init.workspace.headSeq;

    second = startSecondSidecar(first, ['--stdio']);
    const refused = await second.editor.sendRequest(protocol.InitializeRequest, initializeParams(first.workspace)).then(
      () => assert.fail('the second sidecar answered initialize as if it held the ledger'),
      (error) => error,
    );
    assert.equal(refused.code, protocol.ErrorCodes.LedgerHeld);
    assert.match(refused.message, /held by another process/);
    assert.match(refused.message, new RegExp(`pid ${first.pid}\\b`));
    second.closeInput(); // the sidecar waits for the editor to close its end before exiting, so the answer is read first
    assert.equal(await second.exited, 3);

    // What the window shows: the sidecar's own reason, as a warning that this window does not govern the folder.
    const shown = startFailure('workspace', refused);
    assert.equal(shown.heldElsewhere, true);
    assert.match(shown.text, /^OpenThymos is not running for 'workspace' in this window\. The ledger is held by another process/);
    assert.match(shown.text, /OpenThymos: Refresh/);

    // Any other failure keeps the generic wording and the pointer to the log.
    const other = startFailure('workspace', new Error('spawn ENOENT'));
    assert.deepEqual([other.heldElsewhere, other.text], [false, "The OpenThymos sidecar for 'workspace' did not start: spawn ENOENT. Check the sidecar log."]);

    const verify = await first.editor.sendRequest(protocol.LedgerVerifyRequest, {});
    assert.equal(verify.valid, true);
    const entries = await first.editor.sendRequest(protocol.LedgerListEntriesRequest, { limit: 1 });
    assert.equal(entries.headSeq, headBefore, 'the refused second sidecar wrote nothing to the ledger');
  } finally {
    second?.dispose();
    first.dispose();
  }
});
