// The manifest (package.json) and the extension agree: contributed commands equal the ids in
// extension/src/constants.ts, which commands/index.ts registers (its handler table is typed
// Record<CommandId, Handler>, so tsc fails if one is missing); menus, keybindings and views use known ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importExtensionModule } from './compile.mjs';

const repository = resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8'));
const constants = await importExtensionModule('constants');
const ids = Object.values(constants.Commands).sort();

test('the contributed commands are exactly the command ids in constants.ts, each with the OpenThymos category', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, ids);
  // The commands issue 4 names must be among them (a count would only say how many).
  for (const required of ['approveHunk', 'rejectHunk', 'approveFile', 'rejectFile', 'approveAll', 'rejectAll', 'nextHunk',
    'previousHunk', 'showDiff', 'editProposal', 'verifyLedger', 'replayLedger', 'showDrift', 'grantAgentAccess',
    'revokeAgentAccess', 'showSidecarLog', 'enableInFolder', 'replayToEntry', 'stepThroughReplay', 'revertCommit',
    'exportAuditReport']) {
    assert.ok(ids.includes(`openthymos.${required}`), `openthymos.${required} is missing`);
  }
  for (const command of manifest.contributes.commands) {
    assert.equal(command.category, 'OpenThymos', command.command);
    assert.ok(command.title.length > 0);
  }
});

test('commands/index.ts registers a handler for every id in constants.ts', () => {
  const source = readFileSync(join(repository, 'extension', 'src', 'commands', 'index.ts'), 'utf8');
  for (const [key] of Object.entries(constants.Commands)) {
    assert.match(source, new RegExp(`\\[Commands\\.${key}\\]:`), key);
  }
});

test('menus and keybindings name only contributed commands', () => {
  const used = [
    ...Object.values(manifest.contributes.menus).flat().map((m) => m.command),
    ...manifest.contributes.keybindings.map((k) => k.command),
  ];
  for (const command of used) {
    assert.ok(ids.includes(command), command);
  }
});

test('the container and views carry the ids in constants.ts', () => {
  assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), [constants.Views.Container]);
  assert.deepEqual(manifest.contributes.views[constants.Views.Container].map((v) => v.id),
    [constants.Views.Pending, constants.Views.Timeline, constants.Views.Agents]);
});

test('the manifest identifies the extension and its entry point', () => {
  assert.equal(manifest.publisher, 'openthymos');
  assert.equal(manifest.name, 'openthymos');
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.activationEvents, ['onStartupFinished', 'workspaceContains:.thymos']);
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(),
    ['openthymos.autoStart', 'openthymos.keyDirectory', 'openthymos.logLevel', 'openthymos.reviewerName', 'openthymos.sidecarPath']);
});

test('folders opt in: autoStart is off by default, and "Enable in This Folder" is offered only while a folder is not enabled', () => {
  assert.equal(manifest.contributes.configuration.properties['openthymos.autoStart'].default, false);
  const palette = manifest.contributes.menus.commandPalette.find((m) => m.command === constants.Commands.EnableInFolder);
  assert.equal(palette?.when, constants.ContextKeys.FolderNotEnabled);
  const welcome = manifest.contributes.viewsWelcome.find((w) => w.when === `!${constants.ContextKeys.Enabled}`);
  assert.match(welcome.contents, new RegExp(`\\(command:${constants.Commands.EnableInFolder}\\)`));
});
